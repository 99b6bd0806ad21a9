// Translations and Intl-based formatting. The language comes from the browser, can be switched,
// and is remembered; numbers, dates and money follow it, times follow the meters' time zone.

export const LANGS = ['en', 'de', 'fr', 'it'] as const;
export type Lang = (typeof LANGS)[number];

const en = {
  appName: 'meterd',
  now: 'Now', history: 'History', insights: 'Insights', quality: 'Quality', sharing: 'Sharing', settings: 'Settings',
  allMeters: 'All meters', meter: 'Meter', language: 'Language', logout: 'Log out',
  login: 'Log in', password: 'Password', loginTitle: 'Log in to the dashboard', wrongPassword: 'Wrong password.',
  tooManyLogins: 'Too many failed attempts. Try again in {s} s.', sessionExpired: 'Your session has expired. Please log in again.',
  unreachable: 'The meterd service cannot be reached. Retrying…', retry: 'Retry',
  shareInvalid: 'This link is no longer valid: it was revoked, has expired or is mistyped.',
  shareNotAllowed: 'This link does not include this information.',
  loading: 'Loading…', noData: 'No data for this period.', error: 'Error: {msg}',
  livePower: 'Live power', total: 'Total', lastUpdate: 'Updated {t}', waitingLive: 'Waiting for the first live reading…',
  liveLost: 'Live connection interrupted, reconnecting…', phase: 'Phase', voltage: 'Voltage', current: 'Current', power: 'Power',
  powerFactor: 'Power factor', today: 'Today so far', yesterdaySameTime: 'Yesterday until the same time',
  energy: 'Energy', cost: 'Cost', coverage: 'Data coverage {p}', last15min: 'Last 15 minutes',
  range: 'Range', hour: 'Hour', day: 'Day', week: 'Week', month: 'Month', year: 'Year', years5: '5 years',
  earlier: 'Earlier', later: 'Later', resetZoom: 'Reset zoom', resolution: 'Resolution: {r}',
  energyPer: 'Energy per {p}', compare: 'Comparison', current_: 'This {p}', previous: 'Previous {p}', lastYear: 'Same {p} last year',
  selection: 'Selection', selectHint: 'Drag across the chart to zoom and to see the energy and cost of a range.',
  selectionEnergy: '{from} – {to}: {e}, {c}', change: 'Change',
  baseLoad: 'Base load', baseLoadText: 'Always-on consumption (night-time 10th percentile over the last 30 days), costed at the high/low tariff hours of a week.',
  perYear: '{c} per year', peaks: 'Highest 15-minute demand per month', htnt: 'High / low tariff (last 12 months)',
  ht: 'High tariff', nt: 'Low tariff', noSchedule: 'No high/low tariff schedule configured.',
  heatmap: 'Energy by hour of day (last 8 weeks)', meterShares: "Each meter's share (last 12 months)",
  voltageBand: 'Voltage per phase vs 230 V ±10 % (last 7 days)', minutesOutside: 'Minutes below 207 V: {b}, above 253 V: {a} (of {m})',
  min: 'Min', max: 'Max', mean: 'Mean', inBand: 'within the band', outOfBand: 'outside the band',
  shares: 'Share links', createShare: 'Create share link', label: 'Label', meters: 'Meters', from: 'From', to: 'To',
  detail: 'Detail', expires: 'Expires', never: 'never', create: 'Create', revoke: 'Revoke', revoked: 'revoked',
  expired: 'expired', active: 'active', copy: 'Copy', copied: 'Copied', shareCreated: 'Link created. It is shown only now:',
  detail_daily: 'Daily totals', detail_hourly: 'Hourly and 15-minute', detail_full: 'Full (live, raw, voltage)',
  noShares: 'No share links yet.', confirmRevoke: 'Revoke this link? Anyone using it loses access immediately.',
  timeZone: 'Time zone', tariffs: 'Tariffs', currency: 'Currency', storage: 'Storage', quantities: 'Quantities',
  settingsNote: 'Settings are read from the meterd configuration file and shown here read-only.',
  tariffNote: 'Prices and the high-tariff schedule are set in the [sink.dashboard] section (prices or price, price_ht, price_nt; ht_schedule; fixed_fee_per_month).',
  sharedView: 'Shared view', sharedScope: 'Shared: {m}, {from} – {to}, {d}', validUntil: 'valid until {d}',
  used: '{u} of {b} used', noBudget: 'no limit', rawPoints: '{n} raw values',
  general: 'General', name: 'Name', perKwh: '{p} per kWh', singlePrice: 'Price (every hour)', htSchedule: 'High-tariff hours',
  avgPrice: 'Average price, last 30 days', diskBudget: 'Disk budget', tier: 'Data', kept: 'Kept', size: 'Size',
  keptForever: 'kept for ever', keptDays: '{n} days',
  tier_raw: 'Raw readings', tier_1m: '1-minute means', tier_15m: '15-minute means', tier_1h: 'Hourly means', tier_1d: 'Daily means',
  kw: 'kW', notAvailable: '–', skip: 'Skip to content', theme: 'Theme follows your system',
  estimated: 'Estimated over a gap in the readings: {e} (hatched)', estimatedShort: 'Estimated',
  offlineSince: 'offline since {t}', totalWithout: 'Without {m} (offline)', fixedFee: 'Fixed fee', perMonth: '{c} per month',
  pricesFrom: 'From {d}', soFar: 'so far', samePart: 'same part', untilT: 'until {t}',
  noChange_noData: 'no data', noChange_coverage: 'not comparable: data covers different shares',
  noChange_partial: 'not comparable: part vs whole',
  time: 'Time', missing: 'No data', custom: 'Custom', pickDate: 'Date',
  keysHint: 'Keys ← and → step to the previous and next period.',
  touchHint: 'Slide sideways across the chart to zoom and to see the energy and cost of a range.',
  downloadCsv: 'Download {t} as CSV', downloadPng: 'Download {t} as PNG',
  overlay: 'Overlay', overlayNone: 'None', compareMeters: 'Two meters', comparePeriods: 'Two periods',
  otherPeriod: 'Compared with', peakAt: 'Peak {kw} on {t}', heatScale: 'Energy per hour',
};
export type Key = keyof typeof en;
type Dict = Record<Key, string>;

const de: Dict = {
  appName: 'meterd',
  now: 'Jetzt', history: 'Verlauf', insights: 'Auswertungen', quality: 'Netzqualität', sharing: 'Teilen', settings: 'Einstellungen',
  allMeters: 'Alle Zähler', meter: 'Zähler', language: 'Sprache', logout: 'Abmelden',
  login: 'Anmelden', password: 'Passwort', loginTitle: 'Am Dashboard anmelden', wrongPassword: 'Falsches Passwort.',
  tooManyLogins: 'Zu viele Fehlversuche. Erneut versuchen in {s} s.', sessionExpired: 'Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.',
  unreachable: 'Der meterd-Dienst ist nicht erreichbar. Neuer Versuch läuft…', retry: 'Erneut versuchen',
  shareInvalid: 'Dieser Link ist nicht mehr gültig: Er wurde widerrufen, ist abgelaufen oder falsch.',
  shareNotAllowed: 'Dieser Link umfasst diese Angaben nicht.',
  loading: 'Wird geladen…', noData: 'Keine Daten für diesen Zeitraum.', error: 'Fehler: {msg}',
  livePower: 'Aktuelle Leistung', total: 'Gesamt', lastUpdate: 'Aktualisiert {t}', waitingLive: 'Warte auf den ersten Live-Wert…',
  liveLost: 'Live-Verbindung unterbrochen, verbinde neu…', phase: 'Phase', voltage: 'Spannung', current: 'Strom', power: 'Leistung',
  powerFactor: 'Leistungsfaktor', today: 'Heute bisher', yesterdaySameTime: 'Gestern bis zur selben Zeit',
  energy: 'Energie', cost: 'Kosten', coverage: 'Datenabdeckung {p}', last15min: 'Letzte 15 Minuten',
  range: 'Zeitraum', hour: 'Stunde', day: 'Tag', week: 'Woche', month: 'Monat', year: 'Jahr', years5: '5 Jahre',
  earlier: 'Früher', later: 'Später', resetZoom: 'Zoom zurücksetzen', resolution: 'Auflösung: {r}',
  energyPer: 'Energie pro {p}', compare: 'Vergleich', current_: 'Dieser Zeitraum ({p})', previous: 'Vorheriger Zeitraum ({p})', lastYear: 'Vorjahreszeitraum ({p})',
  selection: 'Auswahl', selectHint: 'Im Diagramm einen Bereich ziehen, um zu zoomen und Energie und Kosten zu sehen.',
  selectionEnergy: '{from} – {to}: {e}, {c}', change: 'Veränderung',
  baseLoad: 'Grundlast', baseLoadText: 'Dauerverbrauch (10. Perzentil nachts, letzte 30 Tage), bewertet mit den Hoch- und Niedertarifstunden einer Woche.',
  perYear: '{c} pro Jahr', peaks: 'Höchste 15-Minuten-Leistung pro Monat', htnt: 'Hoch-/Niedertarif (letzte 12 Monate)',
  ht: 'Hochtarif', nt: 'Niedertarif', noSchedule: 'Kein Hoch-/Niedertarif-Zeitplan konfiguriert.',
  heatmap: 'Energie nach Tageszeit (letzte 8 Wochen)', meterShares: 'Anteil der Zähler (letzte 12 Monate)',
  voltageBand: 'Spannung je Phase gegenüber 230 V ±10 % (letzte 7 Tage)', minutesOutside: 'Minuten unter 207 V: {b}, über 253 V: {a} (von {m})',
  min: 'Min', max: 'Max', mean: 'Mittel', inBand: 'im Band', outOfBand: 'ausserhalb des Bands',
  shares: 'Freigabelinks', createShare: 'Freigabelink erstellen', label: 'Bezeichnung', meters: 'Zähler', from: 'Von', to: 'Bis',
  detail: 'Detail', expires: 'Läuft ab', never: 'nie', create: 'Erstellen', revoke: 'Widerrufen', revoked: 'widerrufen',
  expired: 'abgelaufen', active: 'aktiv', copy: 'Kopieren', copied: 'Kopiert', shareCreated: 'Link erstellt. Er wird nur jetzt angezeigt:',
  detail_daily: 'Tagessummen', detail_hourly: 'Stunden und 15 Minuten', detail_full: 'Vollständig (live, Rohdaten, Spannung)',
  noShares: 'Noch keine Freigabelinks.', confirmRevoke: 'Diesen Link widerrufen? Wer ihn nutzt, verliert sofort den Zugriff.',
  timeZone: 'Zeitzone', tariffs: 'Tarife', currency: 'Währung', storage: 'Speicher', quantities: 'Messgrössen',
  settingsNote: 'Die Einstellungen stammen aus der meterd-Konfigurationsdatei und werden hier nur angezeigt.',
  tariffNote: 'Preise und Hochtarifzeiten werden im Abschnitt [sink.dashboard] gesetzt (prices oder price, price_ht, price_nt; ht_schedule; fixed_fee_per_month).',
  sharedView: 'Geteilte Ansicht', sharedScope: 'Geteilt: {m}, {from} – {to}, {d}', validUntil: 'gültig bis {d}',
  used: '{u} von {b} belegt', noBudget: 'keine Grenze', rawPoints: '{n} Rohwerte',
  general: 'Allgemein', name: 'Name', perKwh: '{p} pro kWh', singlePrice: 'Preis (jede Stunde)', htSchedule: 'Hochtarifzeiten',
  avgPrice: 'Durchschnittspreis, letzte 30 Tage', diskBudget: 'Speicherbudget', tier: 'Daten', kept: 'Aufbewahrt', size: 'Grösse',
  keptForever: 'unbegrenzt', keptDays: '{n} Tage',
  tier_raw: 'Rohwerte', tier_1m: '1-Minuten-Mittel', tier_15m: '15-Minuten-Mittel', tier_1h: 'Stundenmittel', tier_1d: 'Tagesmittel',
  kw: 'kW', notAvailable: '–', skip: 'Zum Inhalt springen', theme: 'Farbschema folgt dem System',
  estimated: 'Über eine Lücke in den Messwerten geschätzt: {e} (schraffiert)', estimatedShort: 'Geschätzt',
  offlineSince: 'offline seit {t}', totalWithout: 'Ohne {m} (offline)', fixedFee: 'Grundgebühr', perMonth: '{c} pro Monat',
  pricesFrom: 'Ab {d}', soFar: 'bisher', samePart: 'gleicher Teil', untilT: 'bis {t}',
  noChange_noData: 'keine Daten', noChange_coverage: 'nicht vergleichbar: unterschiedliche Datenabdeckung',
  noChange_partial: 'nicht vergleichbar: Teil gegen Ganzes',
  time: 'Zeit', missing: 'Keine Daten', custom: 'Eigener', pickDate: 'Datum',
  keysHint: 'Die Tasten ← und → blättern zum vorherigen und nächsten Zeitraum.',
  touchHint: 'Im Diagramm seitwärts wischen, um zu zoomen und Energie und Kosten eines Bereichs zu sehen.',
  downloadCsv: '{t} als CSV herunterladen', downloadPng: '{t} als PNG herunterladen',
  overlay: 'Überlagern', overlayNone: 'Nichts', compareMeters: 'Zwei Zähler', comparePeriods: 'Zwei Zeiträume',
  otherPeriod: 'Verglichen mit', peakAt: 'Spitze {kw} am {t}', heatScale: 'Energie pro Stunde',
};

const fr: Dict = {
  ...en,
  now: 'Maintenant', history: 'Historique', insights: 'Analyses', quality: 'Qualité', sharing: 'Partage', settings: 'Réglages',
  allMeters: 'Tous les compteurs', meter: 'Compteur', language: 'Langue', logout: 'Se déconnecter',
  login: 'Se connecter', password: 'Mot de passe', loginTitle: 'Connexion au tableau de bord', wrongPassword: 'Mot de passe incorrect.',
  sessionExpired: 'Votre session a expiré. Veuillez vous reconnecter.', unreachable: 'Le service meterd est injoignable. Nouvel essai…',
  retry: 'Réessayer', shareInvalid: "Ce lien n'est plus valable : révoqué, expiré ou mal saisi.", loading: 'Chargement…',
  noData: 'Aucune donnée pour cette période.', livePower: 'Puissance actuelle', total: 'Total', phase: 'Phase', voltage: 'Tension',
  current: 'Courant', power: 'Puissance', powerFactor: 'Facteur de puissance', today: "Aujourd'hui jusqu'ici",
  yesterdaySameTime: "Hier jusqu'à la même heure", energy: 'Énergie', cost: 'Coût', day: 'Jour', week: 'Semaine', month: 'Mois',
  year: 'Année', hour: 'Heure', baseLoad: 'Consommation de base', ht: 'Heures pleines', nt: 'Heures creuses', create: 'Créer',
  revoke: 'Révoquer', timeZone: 'Fuseau horaire', tariffs: 'Tarifs', meters: 'Compteurs', from: 'Du', to: 'Au',
  general: 'Général', name: 'Nom', perKwh: '{p} par kWh', singlePrice: 'Prix (toutes les heures)', htSchedule: 'Heures pleines',
  diskBudget: 'Espace disque maximal', kept: 'Conservé', size: 'Taille', keptForever: 'sans limite', keptDays: '{n} jours',
  offlineSince: 'hors ligne depuis {t}', totalWithout: 'Sans {m} (hors ligne)', fixedFee: 'Taxe fixe', perMonth: '{c} par mois',
  pricesFrom: 'Dès le {d}', soFar: "jusqu'ici", samePart: 'même partie', untilT: "jusqu'au {t}",
};

const it: Dict = {
  ...en,
  now: 'Adesso', history: 'Storico', insights: 'Analisi', quality: 'Qualità', sharing: 'Condivisione', settings: 'Impostazioni',
  allMeters: 'Tutti i contatori', meter: 'Contatore', language: 'Lingua', logout: 'Esci',
  login: 'Accedi', password: 'Password', loginTitle: 'Accesso alla dashboard', wrongPassword: 'Password errata.',
  sessionExpired: 'La sessione è scaduta. Accedi di nuovo.', unreachable: 'Il servizio meterd non è raggiungibile. Nuovo tentativo…',
  retry: 'Riprova', shareInvalid: 'Questo link non è più valido: revocato, scaduto o errato.', loading: 'Caricamento…',
  noData: 'Nessun dato per questo periodo.', livePower: 'Potenza attuale', total: 'Totale', phase: 'Fase', voltage: 'Tensione',
  current: 'Corrente', power: 'Potenza', powerFactor: 'Fattore di potenza', today: 'Oggi finora',
  yesterdaySameTime: 'Ieri fino alla stessa ora', energy: 'Energia', cost: 'Costo', day: 'Giorno', week: 'Settimana', month: 'Mese',
  year: 'Anno', hour: 'Ora', baseLoad: 'Carico di base', ht: 'Tariffa alta', nt: 'Tariffa bassa', create: 'Crea',
  revoke: 'Revoca', timeZone: 'Fuso orario', tariffs: 'Tariffe', meters: 'Contatori', from: 'Da', to: 'A',
  general: 'Generale', name: 'Nome', perKwh: '{p} per kWh', singlePrice: 'Prezzo (ogni ora)', htSchedule: 'Orari tariffa alta',
  diskBudget: 'Spazio disco massimo', kept: 'Conservato', size: 'Dimensione', keptForever: 'senza limite', keptDays: '{n} giorni',
  offlineSince: 'offline da {t}', totalWithout: 'Senza {m} (offline)', fixedFee: 'Tassa fissa', perMonth: '{c} al mese',
  pricesFrom: 'Dal {d}', soFar: 'finora', samePart: 'stessa parte', untilT: 'fino al {t}',
};

const DICTS: Record<Lang, Dict> = { en, de, fr, it };
export const LANG_NAMES: Record<Lang, string> = { en: 'English', de: 'Deutsch', fr: 'Français', it: 'Italiano' };

/** Picks the first supported language from the browser's list ("de-CH" → "de"). */
export function pickLang(preferred: readonly string[], stored?: string | null): Lang {
  if (stored && (LANGS as readonly string[]).includes(stored)) return stored as Lang;
  for (const p of preferred) {
    const base = p.toLowerCase().split('-')[0];
    if ((LANGS as readonly string[]).includes(base)) return base as Lang;
  }
  return 'en';
}

/** Locale for Intl: Swiss variants, since meterd's currency is CHF by default. */
export function localeOf(lang: Lang, preferred: readonly string[] = []): string {
  const exact = preferred.find((p) => p.toLowerCase().split('-')[0] === lang && p.includes('-'));
  return exact ?? `${lang}-CH`;
}

export type DateStyle = 'time' | 'seconds' | 'day' | 'dayTime' | 'month' | 'year' | 'weekday' | 'dayShort'
  | 'weekdayNum' | 'weekdayDate' | 'monthName' | 'monthLong' | 'dayTimeSec';

export class I18n {
  readonly dict: Dict;
  readonly locale: string;
  private readonly cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
  /** `timeZone` undefined: the browser's zone. */
  constructor(readonly lang: Lang, locale: string, readonly timeZone: string | undefined, readonly currency = 'CHF') {
    this.dict = DICTS[lang];
    this.locale = locale;
  }

  t(key: Key, vars: Record<string, string | number> = {}): string {
    return this.dict[key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`));
  }

  private nf(digits: number, extra: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
    const key = `n${digits}${JSON.stringify(extra)}`;
    let f = this.cache.get(key) as Intl.NumberFormat | undefined;
    if (!f) {
      f = new Intl.NumberFormat(this.locale, { minimumFractionDigits: digits, maximumFractionDigits: digits, ...extra });
      this.cache.set(key, f);
    }
    return f;
  }

  number(v: number | null | undefined, digits = 0): string {
    return v == null || !Number.isFinite(v) ? this.dict.notAvailable : this.nf(digits).format(v);
  }

  /** Watts as W below 10 kW, else kW. */
  power(w: number | null | undefined): string {
    if (w == null || !Number.isFinite(w)) return this.dict.notAvailable;
    return Math.abs(w) < 10000 ? `${this.number(w, 0)} W` : `${this.number(w / 1000, 1)} kW`;
  }

  /** Energy from Wh, with a unit chosen by size. */
  energy(wh: number | null | undefined): string {
    if (wh == null || !Number.isFinite(wh)) return this.dict.notAvailable;
    const a = Math.abs(wh);
    if (a < 1000) return `${this.number(wh, 0)} Wh`;
    if (a < 100_000) return `${this.number(wh / 1000, 2)} kWh`;
    if (a < 10_000_000) return `${this.number(wh / 1000, 0)} kWh`;
    return `${this.number(wh / 1e6, 2)} MWh`;
  }

  money(v: number | null | undefined): string {
    if (v == null || !Number.isFinite(v)) return this.dict.notAvailable;
    return this.nf(2, { style: 'currency', currency: this.currency }).format(v);
  }

  /** A price per unit: money with up to four decimals (0.2735). */
  price(v: number | null | undefined): string {
    if (v == null || !Number.isFinite(v)) return this.dict.notAvailable;
    return this.nf(2, { style: 'currency', currency: this.currency, maximumFractionDigits: 4 }).format(v);
  }

  percent(v: number | null | undefined, digits = 0): string {
    if (v == null || !Number.isFinite(v)) return this.dict.notAvailable;
    return this.nf(digits, { style: 'percent' }).format(v);
  }

  /** Signed relative change, e.g. "+12 %". */
  change(now: number | null | undefined, before: number | null | undefined): string {
    if (now == null || before == null || !before) return this.dict.notAvailable;
    return this.signed(now / before - 1);
  }

  /** A signed share, e.g. 0.12 as "+12 %". */
  signed(v: number): string {
    return Number.isFinite(v) ? this.nf(0, { style: 'percent', signDisplay: 'exceptZero' }).format(v) : this.dict.notAvailable;
  }

  /** A calendar date written YYYY-MM-DD, shown as that very day whatever the zone. */
  calendarDate(date: string): string {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    if (!m) return date;
    return new Intl.DateTimeFormat(this.locale, { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' })
      .format(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  }

  /** A share's expiry: the date entered (it lasts until that day ends), else the exact time. */
  expiry(date: string | null | undefined, ms: number | null): string {
    if (ms == null) return this.dict.never;
    return date ? this.calendarDate(date) : this.date(ms, 'dayTime');
  }

  private df(opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
    const key = `d${JSON.stringify(opts)}`;
    let f = this.cache.get(key) as Intl.DateTimeFormat | undefined;
    if (!f) {
      f = new Intl.DateTimeFormat(this.locale, { timeZone: this.timeZone, ...opts });
      this.cache.set(key, f);
    }
    return f;
  }

  date(ms: number, style: DateStyle = 'day'): string {
    const o: Record<typeof style, Intl.DateTimeFormatOptions> = {
      time: { hour: '2-digit', minute: '2-digit' },
      seconds: { hour: '2-digit', minute: '2-digit', second: '2-digit' },
      day: { year: 'numeric', month: 'short', day: 'numeric' },
      dayShort: { month: 'short', day: 'numeric' },
      dayTime: { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
      month: { year: 'numeric', month: 'short' },
      year: { year: 'numeric' },
      weekday: { weekday: 'short', day: 'numeric', month: 'short' },
      weekdayNum: { weekday: 'short', day: 'numeric' },
      weekdayDate: { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' },
      monthName: { month: 'short' },
      monthLong: { month: 'long', year: 'numeric' },
      dayTimeSec: { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit' },
    };
    return this.df(o[style]).format(new Date(ms));
  }
}
