/**
 * The words page furniture is made of, in the languages the collector meets: recirculation teasers
 * ("Read also:", "Lesen Sie auch:", "Czytaj także:"), ad labels, calls to action, author boxes and
 * credits. text.ts decides where a paragraph sits; these only say what a short line is. Each list is
 * a plain alternation of literal phrases (linear to match), grouped by language for review.
 */

// English
const TEASER_ENGLISH =
  "read more|read next|read also|also read|see more|see also|more from|more on|more|related(?: articles?| stories| content| coverage| links?| news| posts?| reading)?|recommended(?: for you| stories| articles)?|you may also like|you might also like|you may like|don'?t miss|most read|most popular|trending(?: now)?|advert(?:isement)?s?|ads?|sponsored(?: content)?|continue reading(?: below)?|story continues below|article continues below|click here|sign up|subscribe|follow us|share this(?: article| story)?|share on|share|tweet|watch|listen|video|photos?|images?|pictured|credit|caption|close|comments?|tags?|topics?|filed under|editor'?s picks?|top stories|latest(?: news| stories)?|further reading|what to read next|up next|next article|previous article";
// German
const TEASER_GERMAN =
  'lesen sie auch|lesen sie mehr|lies auch|auch interessant|mehr zum thema|das könnte sie (?:auch )?interessieren|weiterlesen|weitere artikel|verwandte artikel|empfohlene artikel|anzeige|werbung|folgen sie uns|teilen';
// French
const TEASER_FRENCH =
  'lire aussi|à lire aussi|a lire aussi|lire également|à lire également|voir aussi|à voir aussi|sur le même sujet|lire la suite|articles? similaires|publicité|suivez-nous|partager';
// Spanish
const TEASER_SPANISH =
  'lee también|lea también|leer también|ver también|te puede interesar|le puede interesar|también te puede interesar|lee más|leer más|noticias relacionadas|artículos relacionados|publicidad|contenido patrocinado|síguenos|compartir';
// Portuguese
const TEASER_PORTUGUESE =
  'leia também|leia mais|veja também|veja mais|saiba mais|notícias relacionadas|publicidade|continua depois da publicidade|continua após a publicidade|siga-nos|compartilhe|partilhe';
// Italian
const TEASER_ITALIAN =
  'leggi anche|leggi pure|leggi di più|potrebbe interessarti|articoli correlati|vedi anche|pubblicità|seguici|condividi';
// Dutch
const TEASER_DUTCH =
  'lees ook|ook lezen|lees meer|lees verder|bekijk ook|gerelateerd|advertentie|volg ons|delen';
// Polish, Czech, Slovak
const TEASER_POLISH =
  'czytaj także|czytaj też|czytaj również|czytaj więcej|czytaj dalej|zobacz także|zobacz też|zobacz również|przeczytaj także|przeczytaj też|przeczytaj również|polecamy|reklama|čtěte také|čtěte též|přečtěte si také|čítajte aj|prečítajte si aj';
// Nordic
const TEASER_NORDIC =
  'läs också|läs även|läs mer|les også|les mer|læs også|læs mere|lue myös|lue lisää|annons|annonse|annonce|mainos';
// Russian, Ukrainian, Greek
const TEASER_RUSSIAN =
  'читайте также|читайте тоже|читать также|смотрите также|читать далее|читайте також|дивіться також|реклама|διαβάστε επίσης|διαβάστε ακόμα|δείτε επίσης';
// Hungarian, Romanian, Turkish
const TEASER_HUNGARIAN =
  'olvassa el ezt is|olvassa el|kapcsolódó|hirdetés|citește și|citeste si|vezi și|publicitate|ayrıca okuyun|bunu da okuyun|ilginizi çekebilir|reklam';
// Japanese, Chinese, Korean
const TEASER_JAPANESE =
  '関連記事|関連ニュース|あわせて読みたい|合わせて読みたい|相关阅读|延伸阅读|相关文章|推荐阅读|相關閱讀|延伸閱讀|相關文章|관련기사|관련 기사|함께 보면 좋은 기사';

/** Short blocks that start with one of these (then ":" / "|" / "»" / end) are teasers or furniture. */
export const TEASER_PREFIX = new RegExp(
  '^(?:' +
    [TEASER_ENGLISH, TEASER_GERMAN, TEASER_FRENCH, TEASER_SPANISH, TEASER_PORTUGUESE, TEASER_ITALIAN, TEASER_DUTCH, TEASER_POLISH, TEASER_NORDIC, TEASER_RUSSIAN, TEASER_HUNGARIAN, TEASER_JAPANESE].join('|') +
    ')\\s*(?:[:：|»>\\-–—.…]+|$)',
  'i',
);

const RECIRC_ENGLISH =
  "you may also like|you might also like|you may like|more from|more in|more on|more stories|more news|more articles|more \\p{L}+ news|related|recommended|most read|most popular|popular|trending|don'?t miss|read more|read next|also read|see also|latest|top stories|editor'?s picks?|what to read next|further reading|more like this|around the web|elsewhere|in case you missed it|from our partners|promoted|sponsored";
const RECIRC_OTHER =
  'mehr zum thema|das könnte sie auch interessieren|verwandte artikel|weitere artikel|auch interessant|lesen sie auch|meistgelesen|am meisten gelesen' +
  '|lire aussi|à lire aussi|sur le même sujet|articles similaires|dans la même rubrique|les plus lus' +
  '|noticias relacionadas|artículos relacionados|te puede interesar|lo más leído|más leídas|más leídos' +
  '|leia também|notícias relacionadas|mais lidas|mais lidos|articoli correlati|potrebbe interessarti|i più letti|leggi anche' +
  '|gerelateerd|meest gelezen|lees ook|czytaj także|zobacz także|najczęściej czytane|polecane|najnowsze' +
  '|читайте также|популярное|läs också|mest läst|関連記事|相关阅读|관련기사';

/** Headings that introduce a list of links to other articles. */
export const RECIRC_HEADING = new RegExp('^(?:' + RECIRC_ENGLISH + '|' + RECIRC_OTHER + ')', 'iu');

/** Calls to action anywhere in a short paragraph (newsletter sign-ups, app installs, "click here"). */
export const CTA_RE =
  /\bclick(?:ing)? here\b|\b(?:sign up|subscribe)\b.{0,80}\bnewsletters?\b|\bnewsletters?\b.{0,80}(?:\bsign up\b|\bsubscribe\b|abonn|anmeld|inscri|suscr[ií]b|iscriv|assin|zapisz|aanmeld|registr)|(?:abonnieren|abonnez|suscríbete|suscribete|iscriviti|assine|inscreva-se|zapisz się|schrijf je in|meld je aan)\b.{0,80}\bnewsletter|\bget (?:the|our) (?:free )?app\b|^\[\w[^\]]*\].*\[\/\w+\]$/i;

/** Comment-section invitations; only as a whole short paragraph. */
export const COMMENT_CTA =
  /^(?:join the (?:conversation|discussion|debate)|leave a (?:comment|reply)|tell us what you think|have your say|post a comment|add a comment|kommentar schreiben|kommentieren|laisser un commentaire|réagir|deja un comentario|deixe um comentário|lascia un commento|reageer|dodaj komentarz|skomentuj)/i;

/** Author and contact boxes: a heading that introduces the author, or a one-line bio. */
export const AUTHOR_HEADING =
  /^(?:about the authors?|über den autor|über die autorin|zum autor|zur autorin|à propos de l'auteur|à propos de l’auteur|sobre o autor|sobre a autora|sobre el autor|sobre la autora|sull'autore|sull’autore|o autorze|over de auteur|об авторе|著者について|作者简介|关于作者)\s*[:：]?$/i;

/** "Jane Roe is a reporter at …" as the last line: an author box without a heading. */
export const AUTHOR_BIO =
  /^\p{Lu}[\p{L}.'’-]+(?: \p{Lu}[\p{L}.'’-]+){1,3},? (?:is|was|ist|est|es|è|é|jest|er|är) (?:an? |the |ein |eine |un |une |una |um |uma )?(?:[\p{L}-]+ ){0,4}(?:reporter|correspondent|editor|writer|journalist|columnist|contributor|redakteur(?:in)?|journaliste|rédact(?:eur|rice)|periodista|redactor[a]?|giornalista|jornalista|dziennikar(?:z|ka)|journalist)\b/u;

export const CONTACT_RE =
  /^(?:e-?mail|follow|contact|reach|kontakt|contacto|contato|contatto|folgen sie|suivez|síguenos|siga|seguici|volg)\b.{0,120}(?:@|twitter|facebook|instagram|linkedin|https?:\/\/)/i;

/**
 * Sign-offs that close an article: "Follow him on Twitter", "Join our forums", in several languages.
 * Only tested on the last few short paragraphs.
 */
export const SIGN_OFF_RE =
  /\b(?:follow (?:him|her|them|us|me)|folgen sie (?:ihm|ihr|uns)|suivez-(?:le|la|nous)|síguenos|siga-nos|seguici|volg (?:ons|hem|haar))\b.{0,60}\b(?:twitter|facebook|instagram|linkedin|threads|mastodon|bluesky|tiktok|youtube)\b|^join (?:our|the)\b.{0,60}\b(?:forums?|community|discussion|conversation)\b|^(?:if you (?:enjoyed|liked) this (?:article|story|post)|(?:did you )?like this (?:story|article|post)\?)|\bshare (?:it|this(?: story| article| post)?) with (?:a friend|your friends)\b/i;

/** A comment-moderation notice ("Note: we are moderating all comments…"), in several languages; tail only. */
export const MODERATION_RE =
  /\b(?:comments?|comentários?|comentarios?|kommentare?|commentaires?|commenti|komentarze?|reacties)\b.{0,160}\bmodera|\bmodera\w*\b.{0,160}\b(?:comments?|comentários?|comentarios?|kommentare?|commentaires?|commenti|komentarze?|reacties)\b/i;

/** Production credits ("Additional reporting by …", "Mit Material von dpa"); only as short lines. */
export const CREDIT_RE =
  /^\(?(?:additional |with )?(?:reporting|editing|research|writing|graphics|production|translation)(?: and (?:reporting|editing|research|writing))? by\b|\bcontributed (?:reporting|research|to this (?:report|article|story))\b|^(?:mit material (?:von|der)|mitarbeit\s*:|übersetzung\s*:|traduction\s*:|con información de|com informações d[aeo]s?|avec (?:l'|l’)?(?:afp|ap|reuters)\b|(?:texte?|text|texto|fotos?|photos?|redacción|edición|édition|redaktion|redazione)\s*:)/i;

/** Caption and credit shapes. */
export const CAPTION_RE = [
  // A credit's body stops at the next "(" too: a run of "(photo:(photo:…" is then scanned once, not once per "(".
  /\((?:image|photo|picture|pic|credit|foto|imagem|imagen|bild|source)s?(?: credits?)?\s*:[^()]*\)\s*$/i,
  /^(?:photo|image|picture|foto|imagem|imagen|immagine|bild|zdjęcie|фото|credit|crédit|crédito)s?(?: credits?| by)?\s*:/i,
  /^[[(【]?(?:写真|画像|图片|圖片|摄影|攝影|사진|사진제공)\s*[:：=]/,
  /(?:credit|photograph|photo|foto|bild)\s*:\s*[^.!?]{0,80}$/i,
  /^(?:image|photo|slide|picture)\s+\d+\s+(?:of|\/)(?:\s*\/)?\s*\d+/i,
  /^\d+\s*(?:of|\/)\s*\d+\S/i,
  /\bthis slideshow requires javascript\b/i,
  /^(?:©|\(c\)|copyright\b)/i,
  // Wire-service captions: "In this Dec. 12, 2006, file photo, …"
  /^in this\b.{0,60}?\b(?:photo|photograph|image|picture|video|frame grab)\b/i,
  /^this\b.{0,40}?\b(?:photo|photograph|image|picture)\b.{0,30}?\b(?:shows|taken|provided|released|made available|courtesy)\b/i,
  /^[^.!?]{0,60}\b(?:getty images|shutterstock|ap photo|afp|reuters|epa|alamy|istock(?:photo)?|bloomberg|associated press|dpa|picture alliance|imago)\b[^.!?]{0,30}$/i,
];
