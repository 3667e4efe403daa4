/**
 * Word lists for the synthetic news corpus of bench:site. Real words carry the common vocabulary of
 * fintech reporting; a generated lexicon of pronounceable pseudo-words (see generate.ts) supplies the
 * long Zipf tail that real news has (names, jargon, rare words), so full-text indexes see a realistic
 * number of distinct terms rather than a few hundred words repeated ten thousand times.
 */

export const FIRST_NAMES = [
  'Anna', 'Ben', 'Carla', 'David', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Karin', 'Leo', 'Maya', 'Nikhil',
  'Olivia', 'Pablo', 'Quentin', 'Rosa', 'Samir', 'Tara', 'Umar', 'Vera', 'Wei', 'Xavier', 'Yara', 'Zoe', 'Adrian', 'Bianca',
  'Chen', 'Dmitri', 'Emma', 'Felix', 'Gita', 'Hannah', 'Ivan', 'Julia', 'Kofi', 'Lina', 'Marco', 'Nadia', 'Oscar', 'Priya',
  'Rafael', 'Sofia', 'Tomas', 'Ulla', 'Viktor', 'Wanda', 'Yusuf', 'Zara', 'Amir', 'Beatriz', 'Conor', 'Daniela', 'Erik',
  'Fatima', 'Gustav', 'Helena', 'Isaac', 'Jasmine', 'Kenji', 'Laura', 'Mateo', 'Noor', 'Patrick', 'Ruth', 'Stefan', 'Tessa',
];

export const SURNAMES = [
  'Andersson', 'Baptiste', 'Castellano', 'Drummond', 'Eriksen', 'Fairweather', 'Gallagher', 'Hartmann', 'Iwasaki',
  'Jablonski', 'Kowalczyk', 'Lindqvist', 'Moreau', 'Nakagawa', 'Okonkwo', 'Petrovic', 'Quigley', 'Rasmussen', 'Siddiqui',
  'Thorsen', 'Underwood', 'Valdivia', 'Whitcombe', 'Xiong', 'Yamamoto', 'Zielinski', 'Abernathy', 'Bergstrom', 'Chaudhry',
  'Delacroix', 'Esposito', 'Fitzgerald', 'Gunawardena', 'Holloway', 'Ibrahimovic', 'Jorgensen', 'Kaminski', 'Lefebvre',
  'Mbeki', 'Novak', 'Ostrowski', 'Papadopoulos', 'Quintero', 'Rosenthal', 'Sandoval', 'Takahashi', 'Ulrich', 'Vasquez',
  'Wojcik', 'Yilmaz', 'Zimmermann', 'Ackerman', 'Bianchi', 'Carvalho', 'Dubois', 'Eklund', 'Fontaine', 'Grünewald',
  'Haddad', 'Ivanova', 'Jovanovic', 'Kallio', 'Lombardi', 'Mendoza', 'Nilsson', "O'Sullivan", 'Pellegrini', 'Ramanathan',
  'Schneider', 'Tanaka', 'Uchenna', 'Varga', 'Weatherby', 'Yoshida', 'Zapata', 'Almeida', 'Brennan', 'Cortese', 'Dahl',
  'Engstrom', 'Ferreira', 'Goldberg', 'Halvorsen', 'Iyer', 'Jansen', 'Koenig', 'Larsen', 'Marchetti', 'Nguyen', 'Osei',
  'Pereira', 'Rahman', 'Sorensen', 'Thibault', 'Valente', 'Whitaker', 'Ziegler', 'Barros', 'Cho', 'Dimitrov', 'Ekwueme',
];

export const ROLES = ['chief executive', 'chief financial officer', 'co-founder', 'chief operating officer', 'head of lending', 'president', 'chief technology officer', 'chair'];

export const NAME_HEADS = [
  'Nova', 'Kli', 'Revo', 'Mon', 'Stri', 'Ad', 'Wis', 'Chi', 'Sol', 'Plai', 'Bru', 'Zen', 'Ver', 'Lum', 'Tru', 'Qua', 'Fin', 'Pay',
  'Cred', 'Ledg', 'Coin', 'Vault', 'Ban', 'Sum', 'Orb', 'Flux', 'Aur', 'Nim', 'Pol', 'Rix', 'Sha', 'Tal', 'Uni', 'Vel', 'Xen',
  'Yon', 'Zap', 'Kas', 'Mer', 'Nex',
];
export const NAME_TAILS = ['ra', 'vo', 'zo', 'ly', 'pay', 'fi', 'bit', 'ix', 'io', 'na', 'ko', 'tek', 'gate', 'lane', 'wise', 'mint', 'nest', 'dock', 'well'];
export const NAME_SUFFIXES = ['', '', '', '', ' Bank', ' Pay', ' Capital', ' Financial', ' Money', ' Group', ' Labs', ' Credit'];

export const OUTLETS: { name: string; domain: string }[] = [
  { name: 'Fintech Wire', domain: 'fintechwire.example' },
  { name: 'The Ledger', domain: 'theledger.example' },
  { name: 'Payments Journal', domain: 'paymentsjournal.example' },
  { name: 'Banking Desk', domain: 'bankingdesk.example' },
  { name: 'Nordic Fintech News', domain: 'nordicfintech.example' },
  { name: 'Capital Street', domain: 'capitalstreet.example' },
  { name: 'The Clearing House Review', domain: 'clearingreview.example' },
  { name: 'Lending Times', domain: 'lendingtimes.example' },
  { name: 'Crypto & Markets', domain: 'cryptomarkets.example' },
  { name: 'Startup Ledger', domain: 'startupledger.example' },
  { name: 'Euro Finance Daily', domain: 'eurofinance.example' },
  { name: 'Open Banking Report', domain: 'openbanking.example' },
  { name: 'Neobank Watch', domain: 'neobankwatch.example' },
  { name: 'The Regulator', domain: 'theregulator.example' },
  { name: 'Merchant Weekly', domain: 'merchantweekly.example' },
  { name: 'Wealth Tech Today', domain: 'wealthtech.example' },
  { name: 'Insurtech Insider', domain: 'insurtechinsider.example' },
  { name: 'Market Close', domain: 'marketclose.example' },
  { name: 'Asia Fintech Post', domain: 'asiafintech.example' },
  { name: 'Americas Banking', domain: 'americasbanking.example' },
];

export const INVESTORS = [
  'Sequoia Capital', 'Accel', 'Index Ventures', 'Tiger Global', 'SoftBank Vision Fund', 'Ribbit Capital', 'Balderton',
  'General Catalyst', 'Insight Partners', 'Lightspeed', 'Atomico', 'Northzone', 'EQT Ventures', 'Temasek', 'Coatue',
];

export const CITIES = ['London', 'Stockholm', 'New York', 'Berlin', 'Paris', 'Amsterdam', 'Singapore', 'São Paulo', 'Lagos', 'Bengaluru', 'Dublin', 'Madrid', 'Toronto', 'Sydney', 'Vilnius', 'Tallinn', 'Nairobi', 'Warsaw', 'Lisbon', 'Zurich'];

export const EXCHANGES = ['Nasdaq', 'the New York Stock Exchange', 'the London Stock Exchange', 'Euronext Amsterdam', 'Nasdaq Stockholm', 'the Frankfurt Stock Exchange'];

export const METRICS: { label: string; unit: string; verb: string; scale: number }[] = [
  { label: 'merchants', unit: 'merchants', verb: 'now serves', scale: 1e5 },
  { label: 'transaction volume', unit: 'USD', verb: 'processed', scale: 1e10 },
  { label: 'customer service chats handled by AI', unit: 'chats', verb: 'said its AI assistant handled', scale: 1e6 },
  { label: 'markets', unit: 'markets', verb: 'operates in', scale: 10 },
  { label: 'cards issued', unit: 'cards', verb: 'has issued', scale: 1e6 },
  { label: 'deposits', unit: 'USD', verb: 'holds customer deposits of', scale: 1e9 },
  { label: 'loans originated', unit: 'USD', verb: 'originated loans worth', scale: 1e9 },
  { label: 'gross merchandise volume', unit: 'USD', verb: 'reported gross merchandise volume of', scale: 1e10 },
  { label: 'languages supported', unit: 'languages', verb: 'supports', scale: 20 },
  { label: 'branches closed', unit: 'branches', verb: 'closed', scale: 50 },
];

/** Common words of financial news, roughly by part of speech; drawn Zipf-weighted in order. */
export const NOUNS = [
  'company', 'bank', 'market', 'customers', 'revenue', 'growth', 'quarter', 'investors', 'payments', 'lending', 'loans',
  'fintech', 'startup', 'platform', 'regulators', 'deposits', 'profit', 'losses', 'funding', 'valuation', 'shares',
  'analysts', 'margin', 'cards', 'merchants', 'consumers', 'credit', 'interest', 'rates', 'fees', 'savings', 'accounts',
  'app', 'users', 'staff', 'employees', 'executives', 'board', 'strategy', 'expansion', 'competition', 'rivals', 'banks',
  'licence', 'regulation', 'compliance', 'fraud', 'risk', 'capital', 'cash', 'balance', 'sheet', 'costs', 'spending',
  'economy', 'inflation', 'demand', 'volume', 'transactions', 'checkout', 'wallet', 'crypto', 'stablecoin', 'exchange',
  'listing', 'offering', 'round', 'backers', 'founders', 'chief', 'executive', 'officer', 'report', 'results', 'earnings',
  'guidance', 'forecast', 'outlook', 'segment', 'business', 'unit', 'division', 'product', 'feature', 'launch', 'partnership',
  'deal', 'acquisition', 'merger', 'takeover', 'stake', 'buyback', 'dividend', 'mortgage', 'insurance', 'pension', 'wealth',
  'advice', 'trading', 'brokerage', 'stocks', 'bonds', 'yield', 'treasury', 'liquidity', 'portfolio', 'arrears', 'defaults',
  'provisions', 'impairments', 'underwriting', 'scoring', 'data', 'model', 'automation', 'software', 'cloud', 'infrastructure',
  'security', 'outage', 'incident', 'complaints', 'ombudsman', 'fine', 'penalty', 'probe', 'investigation', 'lawsuit',
  'settlement', 'court', 'ruling', 'parliament', 'government', 'ministry', 'commission', 'supervisor', 'watchdog', 'sandbox',
  'region', 'europe', 'britain', 'germany', 'sweden', 'nordics', 'america', 'asia', 'africa', 'brazil', 'india', 'australia',
  'subscription', 'membership', 'tier', 'plan', 'pricing', 'rebate', 'cashback', 'rewards', 'loyalty', 'retailers', 'shops',
  'ecommerce', 'marketplace', 'sellers', 'suppliers', 'invoices', 'payroll', 'treasurers', 'corporates', 'smes', 'households',
];

export const VERBS = [
  'said', 'reported', 'expects', 'plans', 'announced', 'raised', 'cut', 'posted', 'grew', 'fell', 'rose', 'launched',
  'expanded', 'warned', 'confirmed', 'denied', 'signed', 'agreed', 'acquired', 'hired', 'reduced', 'increased', 'doubled',
  'halved', 'delayed', 'paused', 'resumed', 'approved', 'rejected', 'fined', 'investigated', 'tightened', 'loosened',
  'outpaced', 'lagged', 'targeted', 'reshaped', 'streamlined', 'restructured', 'refinanced', 'priced', 'listed', 'filed',
  'bolstered', 'weighed', 'flagged', 'highlighted', 'trimmed', 'accelerated', 'slowed', 'stabilised', 'recovered',
];

export const ADJECTIVES = [
  'new', 'strong', 'weak', 'higher', 'lower', 'record', 'annual', 'quarterly', 'digital', 'regulatory', 'financial',
  'global', 'european', 'domestic', 'rapid', 'modest', 'steady', 'sharp', 'profitable', 'unprofitable', 'early', 'late',
  'cautious', 'aggressive', 'competitive', 'crowded', 'volatile', 'resilient', 'fragile', 'significant', 'marginal',
  'substantial', 'recurring', 'adjusted', 'underlying', 'operating', 'core', 'retail', 'institutional', 'consumer',
  'commercial', 'cross-border', 'instant', 'embedded', 'open', 'mobile', 'contactless', 'sustainable', 'ambitious',
];

export const ADVERBS = ['sharply', 'slightly', 'steadily', 'quickly', 'slowly', 'again', 'already', 'still', 'largely', 'partly', 'broadly', 'roughly', 'notably', 'mainly', 'recently', 'eventually'];

export const CONNECTORS = ['as', 'while', 'after', 'because', 'although', 'even as', 'since', 'before', 'once', 'whereas'];

export const HEADLINE_VERBS = [
  'posts', 'swings to', 'cuts', 'raises', 'eyes', 'files for', 'delays', 'expands into', 'hires', 'trims', 'doubles',
  'bets on', 'faces', 'wins', 'loses', 'plans', 'reports', 'warns on', 'targets', 'weighs',
];

export const HEADLINE_OBJECTS = [
  'record quarter', 'profit', 'jobs', 'new funding', 'listing', 'IPO', 'European push', 'AI overhaul', 'credit losses',
  'US expansion', 'licence', 'fine', 'valuation cut', 'layoffs', 'user growth', 'payments deal', 'bank charter',
  'buy now, pay later rules', 'savings product', 'crypto unit', 'cost cuts', 'revenue jump',
];
