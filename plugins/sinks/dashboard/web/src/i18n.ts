// Translations and Intl-based formatting. The language comes from the browser, can be switched,
// and is remembered; numbers, dates and money follow it, times follow the meters' time zone.

export const LANGS = ['en', 'de', 'fr', 'it'] as const;
export type Lang = (typeof LANGS)[number];

const en = {
  community: 'Community', communityNow: 'Now in the community', localPower: 'Shared locally',
  membersSilent: 'No live reading from: {m}', thisMonth: 'This month', localOfUse: '{l} of {c} from local production',
  allocationPerDay: 'Local energy per member and day', fromGrid: 'From the grid', member: 'Member', localEnergy: 'Local energy',
  soldLocally: 'Sold locally', bill: 'Bill', billOf: 'Printable bill of {m}', memberLinks: 'Links for the members',
  createMemberLinks: 'Create a link for every member', memberLinksNote: 'Each link shows only that member’s meters, allocation and bills, never another member’s. The links are shown only now; they are listed and revoked under Sharing.',
  linkOf: 'Link of {m}', copyLinkOf: 'Copy the link of {m}', daysIncomplete: 'On {n} days some intervals lack data: they are left out of every figure until the data arrives.',
  summaryPage: 'Printable summary', billingPeriod: 'Billing period', chartOfPeriod: 'Local energy per member and day, {p}',
  appName: 'meterd',
  now: 'Now', history: 'History', insights: 'Insights', quality: 'Quality', sharing: 'Sharing', settings: 'Settings',
  alerts: 'Alerts', alertRules: 'Alert rules', alertHistory: 'Notices', alertRule: 'Rule', alertState: 'State',
  alertLastFired: 'Last fired', alertOk: 'clear', alertFiring: 'firing', alertSince: '{s} since {t}',
  alertKind_firing: 'fired', alertKind_reminder: 'still firing', alertKind_resolved: 'resolved',
  alertsBadge: '{n} alerts firing', alertsNoRules: 'No alert rules reported yet: they are set in an alerts sink of the meterd configuration.',
  alertsNoHistory: 'No alert has fired yet.',
  alertsNote: 'The rules are read from the meterd configuration and shown here read-only, with the notices they sent (newest first).',
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
  time: 'Time', res_raw: 'raw readings', res_1m: '1 minute', res_15m: '15 minutes', res_1h: '1 hour', res_1d: '1 day',
  wd_mon: 'Mon', wd_tue: 'Tue', wd_wed: 'Wed', wd_thu: 'Thu', wd_fri: 'Fri', wd_sat: 'Sat', wd_sun: 'Sun', hours: '{a}–{b}',
  intervalsNote: 'intervals', perHour: 'per hour',
  badRequest: 'The request was refused ({msg}).', serverError: 'The server could not answer ({msg}).',
  q_active_power: 'Active power', q_active_energy: 'Active energy', q_reactive_power: 'Reactive power',
  q_reactive_energy: 'Reactive energy', q_apparent_power: 'Apparent power', q_apparent_energy: 'Apparent energy',
  qd_import: 'import', qd_export: 'export', qd_absolute: 'absolute', qd_net: 'net', qd_q: 'quadrant {n}',
  qf_average: 'average', qf_max_demand: 'maximum demand', q_tariff_n: 'tariff {n}',
  q_current: 'Current', q_voltage: 'Voltage', q_power_factor: 'Power factor', q_frequency: 'Frequency',
  q_current_limit: 'Current limit', q_current_neutral: 'Neutral current', q_voltage_sags: 'Voltage sags',
  q_voltage_swells: 'Voltage swells', q_power_failures: 'Power failures', q_long_power_failures: 'Long power failures',
  q_power_failure_duration: 'Power failure duration', q_tariff: 'Active tariff', q_breaker_state: 'Breaker state',
  q_limiter_threshold: 'Limiter threshold', q_clock: 'Meter clock', q_meter_serial: 'Meter serial number',
  q_equipment_id: 'Equipment ID', q_text_message: 'Text message', q_numeric_message: 'Numeric message',
  q_mbus_reading: 'M-Bus reading', q_mbus_valve_state: 'M-Bus valve state', q_mbus_device_type: 'M-Bus device type',
  q_mbus_equipment_id: 'M-Bus equipment ID', q_p1_version: 'P1 version', q_logical_device_name: 'Logical device name',
  q_manufacturer: 'Manufacturer', q_list_version: 'List version',
  missing: 'No data', custom: 'Custom', pickDate: 'Date', dateFormat: 'Date as {f}', calendar: 'Calendar',
  keysHint: 'Keys ← and → step to the previous and next period.',
  touchHint: 'Slide sideways across the chart to zoom and to see the energy and cost of a range.',
  downloadCsv: 'Download {t} as CSV', downloadPng: 'Download {t} as PNG',
  overlay: 'Overlay', overlayNone: 'None', compareMeters: 'Two meters', comparePeriods: 'Two periods',
  otherPeriod: 'Compared with', peakAt: 'Peak {kw} on {t}', heatScale: 'Energy per hour',
  // Solar and the energy balance (meter roles).
  energyFlow: 'Energy flow', roleGrid: 'Grid', rolePv: 'Solar', roleBattery: 'Battery', roleHouse: 'Home',
  flowFromGrid: 'drawing', flowToGrid: 'feeding in', flowDrawing: 'Drawing {w} from the grid', flowFeedingIn: 'Feeding {w} into the grid',
  flowSelfShare: '{p} of the house from own power', solarBalance: 'Solar and grid', selfConsumed: 'Self-consumed', fedIn: 'Fed in',
  imported: 'Imported', exported: 'Exported', production: 'Production', consumption: 'Consumption', selfSufficiency: 'Self-sufficiency',
  solarGridOnly: 'With the grid meter alone, production and consumption are not known; give the PV meter the role pv.',
  monthlySolar: 'Self-sufficiency and feed-in per month', feedInIncome: 'Feed-in income',
  feedInNote: 'Self-sufficiency is the share of the consumption covered by own production; the income is the credit for the energy fed in at the configured feed-in price.',
  // The Insights price card (prices endpoint).
  priceCard: 'Prices: paid, market and cheapest hours', paidEnergy: 'Energy price paid', marketAverage: 'Market average',
  paidAll: 'Paid with grid, levies and VAT', paidAbove: 'You paid {d} ({p}) more than the market average for the energy.',
  paidBelow: 'You paid {d} ({p}) less than the market average for the energy.',
  noMarketPrice: 'No market price in this period: a market average needs dynamic prices.',
  paidNote: 'Average over {e} imported, each quarter hour at the price valid then',
  cheapestTomorrow: 'Cheapest hours tomorrow',
  noTomorrow_noDynamic: 'Tomorrow’s cheapest hours need day-ahead prices; none are configured.',
  noTomorrow_pastShare: 'This link covers past dates only, so tomorrow’s prices are not shown.',
  noTomorrow_notYet: 'Not every hour of tomorrow has a price yet; day-ahead prices are usually published early in the afternoon.',
  shiftTitle: 'Shifting flexible loads', roleHeatPump: 'heat pump', roleEv: 'electric car', estimate: 'Estimate',
  shiftText: '{e} over {n} days cost {a} in energy; in each day’s cheapest hours it would have cost about {b}.',
  shiftSaving: 'about {m} less', shiftDearer: 'about {m} more',
  shiftMethod: 'An estimate: each day’s energy moved to as many of that day’s cheapest hours as the meter ran, energy price only (no grid usage, levies or VAT), ignoring comfort and what the device can do.',
  priceBands: 'Time-of-use bands', band: 'Band', bandHours: 'Hours', energyPrice: 'Energy price', bandRest: 'all other hours',
  priceFeedFresh: 'Price feed: {p} since {t} ({age}); newest price {newest}.', priceFeedNone: 'none',
  priceFeedStale: 'The price feed is stale: no price covers the present (newest price {t}, {age}). Costs use the fixed price; check the price feed of meter {meter}.',
};
export type Key = keyof typeof en;
type Dict = Record<Key, string>;

const de: Dict = {
  community: 'Gemeinschaft', communityNow: 'Jetzt in der Gemeinschaft', localPower: 'Lokal geteilt',
  membersSilent: 'Keine Live-Messung von: {m}', thisMonth: 'Dieser Monat', localOfUse: '{l} von {c} aus lokaler Produktion',
  allocationPerDay: 'Lokale Energie pro Mitglied und Tag', fromGrid: 'Aus dem Netz', member: 'Mitglied', localEnergy: 'Lokale Energie',
  soldLocally: 'Lokal verkauft', bill: 'Rechnung', billOf: 'Rechnung von {m} zum Drucken', memberLinks: 'Links für die Mitglieder',
  createMemberLinks: 'Für jedes Mitglied einen Link erstellen', memberLinksNote: 'Jeder Link zeigt nur die Zähler, die Zuteilung und die Rechnungen dieses Mitglieds, nie die eines anderen. Die Links werden nur jetzt angezeigt; unter «Teilen» sind sie aufgelistet und widerrufbar.',
  linkOf: 'Link von {m}', copyLinkOf: 'Link von {m} kopieren', daysIncomplete: 'An {n} Tagen fehlen Daten einzelner Intervalle: Sie sind in keiner Zahl enthalten, bis die Daten eintreffen.',
  summaryPage: 'Zusammenfassung zum Drucken', billingPeriod: 'Abrechnungsperiode', chartOfPeriod: 'Lokale Energie pro Mitglied und Tag, {p}',
  appName: 'meterd',
  now: 'Jetzt', history: 'Verlauf', insights: 'Auswertungen', quality: 'Netzqualität', sharing: 'Teilen', settings: 'Einstellungen',
  alerts: 'Alarme', alertRules: 'Alarmregeln', alertHistory: 'Meldungen', alertRule: 'Regel', alertState: 'Zustand',
  alertLastFired: 'Zuletzt ausgelöst', alertOk: 'ruhig', alertFiring: 'ausgelöst', alertSince: '{s} seit {t}',
  alertKind_firing: 'ausgelöst', alertKind_reminder: 'weiterhin ausgelöst', alertKind_resolved: 'behoben',
  alertsBadge: '{n} Alarme ausgelöst', alertsNoRules: 'Noch keine Alarmregeln gemeldet: Sie werden in einer Alarm-Senke der meterd-Konfiguration festgelegt.',
  alertsNoHistory: 'Bisher wurde kein Alarm ausgelöst.',
  alertsNote: 'Die Regeln stammen aus der meterd-Konfiguration und werden hier nur angezeigt, mit ihren Meldungen (neueste zuerst).',
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
  time: 'Zeit', res_raw: 'Rohwerte', res_1m: '1 Minute', res_15m: '15 Minuten', res_1h: '1 Stunde', res_1d: '1 Tag',
  wd_mon: 'Mo', wd_tue: 'Di', wd_wed: 'Mi', wd_thu: 'Do', wd_fri: 'Fr', wd_sat: 'Sa', wd_sun: 'So', hours: '{a}–{b} Uhr',
  intervalsNote: 'Intervalle', perHour: 'pro Stunde',
  badRequest: 'Die Anfrage wurde abgelehnt ({msg}).', serverError: 'Der Server konnte nicht antworten ({msg}).',
  q_active_power: 'Wirkleistung', q_active_energy: 'Wirkenergie', q_reactive_power: 'Blindleistung',
  q_reactive_energy: 'Blindenergie', q_apparent_power: 'Scheinleistung', q_apparent_energy: 'Scheinenergie',
  qd_import: 'Bezug', qd_export: 'Einspeisung', qd_absolute: 'absolut', qd_net: 'netto', qd_q: 'Quadrant {n}',
  qf_average: 'Mittelwert', qf_max_demand: 'Maximum', q_tariff_n: 'Tarif {n}',
  q_current: 'Strom', q_voltage: 'Spannung', q_power_factor: 'Leistungsfaktor', q_frequency: 'Frequenz',
  q_current_limit: 'Stromgrenze', q_current_neutral: 'Neutralleiterstrom', q_voltage_sags: 'Spannungseinbrüche',
  q_voltage_swells: 'Spannungsüberhöhungen', q_power_failures: 'Stromausfälle', q_long_power_failures: 'Lange Stromausfälle',
  q_power_failure_duration: 'Dauer der Stromausfälle', q_tariff: 'Aktiver Tarif', q_breaker_state: 'Schalterzustand',
  q_limiter_threshold: 'Begrenzerschwelle', q_clock: 'Zähleruhr', q_meter_serial: 'Zählernummer',
  q_equipment_id: 'Geräte-ID', q_text_message: 'Textnachricht', q_numeric_message: 'Zahlennachricht',
  q_mbus_reading: 'M-Bus-Zählerstand', q_mbus_valve_state: 'M-Bus-Ventilzustand', q_mbus_device_type: 'M-Bus-Gerätetyp',
  q_mbus_equipment_id: 'M-Bus-Geräte-ID', q_p1_version: 'P1-Version', q_logical_device_name: 'Logischer Gerätename',
  q_manufacturer: 'Hersteller', q_list_version: 'Listenversion',
  missing: 'Keine Daten', custom: 'Eigener', pickDate: 'Datum', dateFormat: 'Datum als {f}', calendar: 'Kalender',
  keysHint: 'Die Tasten ← und → blättern zum vorherigen und nächsten Zeitraum.',
  touchHint: 'Im Diagramm seitwärts wischen, um zu zoomen und Energie und Kosten eines Bereichs zu sehen.',
  downloadCsv: '{t} als CSV herunterladen', downloadPng: '{t} als PNG herunterladen',
  overlay: 'Überlagern', overlayNone: 'Nichts', compareMeters: 'Zwei Zähler', comparePeriods: 'Zwei Zeiträume',
  otherPeriod: 'Verglichen mit', peakAt: 'Spitze {kw} am {t}', heatScale: 'Energie pro Stunde',
  // Solar and the energy balance (meter roles).
  energyFlow: 'Energiefluss', roleGrid: 'Netz', rolePv: 'PV-Anlage', roleBattery: 'Batterie', roleHouse: 'Haus',
  flowFromGrid: 'Bezug', flowToGrid: 'Einspeisung', flowDrawing: 'Bezug aus dem Netz: {w}', flowFeedingIn: 'Einspeisung ins Netz: {w}',
  flowSelfShare: '{p} des Hauses aus eigenem Strom', solarBalance: 'Solar und Netz', selfConsumed: 'Eigenverbrauch', fedIn: 'Eingespeist',
  imported: 'Bezogen', exported: 'Eingespeist', production: 'Produktion', consumption: 'Verbrauch', selfSufficiency: 'Autarkie',
  solarGridOnly: 'Mit dem Netzzähler allein sind Produktion und Verbrauch nicht bekannt; dem PV-Zähler die Rolle pv geben.',
  monthlySolar: 'Autarkie und Einspeisung pro Monat', feedInIncome: 'Einspeisevergütung',
  feedInNote: 'Autarkie ist der Anteil des Verbrauchs, den die eigene Produktion deckt; die Vergütung ist die Gutschrift für die eingespeiste Energie zum eingestellten Einspeisetarif.',
  // Die Preiskarte unter Auswertungen (Endpunkt prices).
  priceCard: 'Preise: bezahlt, Markt und günstigste Stunden', paidEnergy: 'Bezahlter Energiepreis', marketAverage: 'Marktdurchschnitt',
  paidAll: 'Bezahlt mit Netz, Abgaben und MWST', paidAbove: 'Sie haben für die Energie {d} ({p}) mehr als den Marktdurchschnitt bezahlt.',
  paidBelow: 'Sie haben für die Energie {d} ({p}) weniger als den Marktdurchschnitt bezahlt.',
  noMarketPrice: 'Kein Marktpreis in diesem Zeitraum: Ein Marktdurchschnitt braucht dynamische Preise.',
  paidNote: 'Durchschnitt über {e} Bezug, jede Viertelstunde zum damals gültigen Preis',
  cheapestTomorrow: 'Günstigste Stunden morgen',
  noTomorrow_noDynamic: 'Die günstigsten Stunden von morgen brauchen Day-Ahead-Preise; es sind keine eingestellt.',
  noTomorrow_pastShare: 'Dieser Link umfasst nur vergangene Tage; die Preise von morgen werden nicht gezeigt.',
  noTomorrow_notYet: 'Noch nicht jede Stunde von morgen hat einen Preis; Day-Ahead-Preise erscheinen meist am frühen Nachmittag.',
  shiftTitle: 'Flexible Verbraucher verschieben', roleHeatPump: 'Wärmepumpe', roleEv: 'Elektroauto', estimate: 'Schätzung',
  shiftText: '{e} an {n} Tagen kosteten {a} Energie; in den günstigsten Stunden jedes Tages wären es etwa {b} gewesen.',
  shiftSaving: 'etwa {m} weniger', shiftDearer: 'etwa {m} mehr',
  shiftMethod: 'Eine Schätzung: Die Energie jedes Tages in so viele der günstigsten Stunden dieses Tages verschoben, wie der Zähler lief; nur der Energiepreis (ohne Netznutzung, Abgaben und MWST), ohne Rücksicht auf Komfort und was das Gerät kann.',
  priceBands: 'Tarifzeiten', band: 'Tarif', bandHours: 'Stunden', energyPrice: 'Energiepreis', bandRest: 'alle übrigen Stunden',
  priceFeedFresh: 'Preisquelle: {p} seit {t} ({age}); neuester Preis {newest}.', priceFeedNone: 'keiner',
  priceFeedStale: 'Die Preisquelle ist veraltet: Kein Preis gilt für jetzt (neuester Preis {t}, {age}). Kosten gelten zum festen Preis; prüfen Sie die Preisquelle des Zählers {meter}.',
};

const fr: Dict = {
  community: 'Communauté', communityNow: 'Maintenant dans la communauté', localPower: 'Partagé localement',
  membersSilent: 'Pas de mesure en direct de : {m}', thisMonth: 'Ce mois-ci', localOfUse: '{l} sur {c} de production locale',
  allocationPerDay: 'Énergie locale par membre et par jour', fromGrid: 'Du réseau', member: 'Membre', localEnergy: 'Énergie locale',
  soldLocally: 'Vendu localement', bill: 'Facture', billOf: 'Facture imprimable de {m}', memberLinks: 'Liens pour les membres',
  createMemberLinks: 'Créer un lien pour chaque membre', memberLinksNote: 'Chaque lien ne montre que les compteurs, la répartition et les factures de ce membre, jamais ceux d’un autre. Les liens ne sont affichés que maintenant ; ils sont listés et révocables sous « Partage ».',
  linkOf: 'Lien de {m}', copyLinkOf: 'Copier le lien de {m}', daysIncomplete: 'Certains intervalles de {n} jours n’ont pas de données : ils sont exclus de tous les chiffres jusqu’à l’arrivée des données.',
  summaryPage: 'Résumé imprimable', billingPeriod: 'Période de facturation', chartOfPeriod: 'Énergie locale par membre et par jour, {p}',
  appName: 'meterd',
  now: 'Maintenant', history: 'Historique', insights: 'Analyses', quality: 'Qualité', sharing: 'Partage', settings: 'Réglages',
  alerts: 'Alertes', alertRules: "Règles d'alerte", alertHistory: 'Avis', alertRule: 'Règle', alertState: 'État',
  alertLastFired: 'Dernier déclenchement', alertOk: 'calme', alertFiring: 'déclenchée', alertSince: '{s} depuis {t}',
  alertKind_firing: 'déclenchée', alertKind_reminder: 'toujours déclenchée', alertKind_resolved: 'résolue',
  alertsBadge: '{n} alertes déclenchées', alertsNoRules: "Aucune règle d'alerte signalée : elles se définissent dans un puits d'alertes de la configuration meterd.",
  alertsNoHistory: "Aucune alerte ne s'est encore déclenchée.",
  alertsNote: 'Les règles viennent de la configuration meterd et sont affichées ici en lecture seule, avec leurs avis (les plus récents en premier).',
  allMeters: 'Tous les compteurs', meter: 'Compteur', language: 'Langue', logout: 'Se déconnecter',
  login: 'Se connecter', password: 'Mot de passe', loginTitle: 'Connexion au tableau de bord', wrongPassword: 'Mot de passe incorrect.',
  tooManyLogins: 'Trop de tentatives échouées. Réessayez dans {s} s.', sessionExpired: 'Votre session a expiré. Veuillez vous reconnecter.',
  unreachable: 'Le service meterd est injoignable. Nouvel essai…', retry: 'Réessayer',
  shareInvalid: "Ce lien n'est plus valable : il a été révoqué, a expiré ou est mal saisi.",
  shareNotAllowed: "Ce lien ne comprend pas ces informations.",
  loading: 'Chargement…', noData: 'Aucune donnée pour cette période.', error: 'Erreur : {msg}',
  livePower: 'Puissance actuelle', total: 'Total', lastUpdate: 'Mis à jour {t}', waitingLive: 'En attente de la première mesure en direct…',
  liveLost: 'Connexion en direct interrompue, reconnexion…', phase: 'Phase', voltage: 'Tension', current: 'Courant', power: 'Puissance',
  powerFactor: 'Facteur de puissance', today: "Aujourd'hui jusqu'ici", yesterdaySameTime: "Hier jusqu'à la même heure",
  energy: 'Énergie', cost: 'Coût', coverage: 'Couverture des données {p}', last15min: '15 dernières minutes',
  range: 'Période', hour: 'Heure', day: 'Jour', week: 'Semaine', month: 'Mois', year: 'Année', years5: '5 ans',
  earlier: 'Plus tôt', later: 'Plus tard', resetZoom: 'Annuler le zoom', resolution: 'Résolution : {r}',
  energyPer: 'Énergie par {p}', compare: 'Comparaison', current_: 'Cette période ({p})', previous: 'Période précédente ({p})',
  lastYear: "Même période l'an dernier ({p})",
  selection: 'Sélection', selectHint: "Faites glisser sur le graphique pour zoomer et voir l'énergie et le coût d'une plage.",
  selectionEnergy: '{from} – {to} : {e}, {c}', change: 'Variation',
  baseLoad: 'Consommation de base', baseLoadText: 'Consommation permanente (10e centile nocturne des 30 derniers jours), chiffrée selon les heures pleines et creuses d’une semaine.',
  perYear: '{c} par an', peaks: 'Puissance maximale sur 15 minutes par mois', htnt: 'Heures pleines / creuses (12 derniers mois)',
  ht: 'Heures pleines', nt: 'Heures creuses', noSchedule: 'Aucun horaire heures pleines/creuses configuré.',
  heatmap: 'Énergie par heure de la journée (8 dernières semaines)', meterShares: 'Part de chaque compteur (12 derniers mois)',
  voltageBand: 'Tension par phase par rapport à 230 V ±10 % (7 derniers jours)', minutesOutside: 'Minutes sous 207 V : {b}, au-dessus de 253 V : {a} (sur {m})',
  min: 'Min', max: 'Max', mean: 'Moyenne', inBand: 'dans la plage', outOfBand: 'hors de la plage',
  shares: 'Liens de partage', createShare: 'Créer un lien de partage', label: 'Libellé', meters: 'Compteurs', from: 'Du', to: 'Au',
  detail: 'Détail', expires: 'Expire', never: 'jamais', create: 'Créer', revoke: 'Révoquer', revoked: 'révoqué',
  expired: 'expiré', active: 'actif', copy: 'Copier', copied: 'Copié', shareCreated: "Lien créé. Il n'est affiché que maintenant :",
  detail_daily: 'Totaux journaliers', detail_hourly: 'Horaire et 15 minutes', detail_full: 'Complet (direct, brut, tension)',
  noShares: 'Aucun lien de partage pour le moment.', confirmRevoke: 'Révoquer ce lien ? Ses utilisateurs perdent aussitôt l’accès.',
  timeZone: 'Fuseau horaire', tariffs: 'Tarifs', currency: 'Monnaie', storage: 'Stockage', quantities: 'Grandeurs',
  settingsNote: 'Les réglages proviennent du fichier de configuration de meterd et sont affichés ici en lecture seule.',
  tariffNote: 'Les prix et les heures pleines se règlent dans la section [sink.dashboard] (prices ou price, price_ht, price_nt ; ht_schedule ; fixed_fee_per_month).',
  sharedView: 'Vue partagée', sharedScope: 'Partagé : {m}, {from} – {to}, {d}', validUntil: "valable jusqu'au {d}",
  used: '{u} sur {b} utilisés', noBudget: 'aucune limite', rawPoints: '{n} valeurs brutes',
  general: 'Général', name: 'Nom', perKwh: '{p} par kWh', singlePrice: 'Prix (toutes les heures)', htSchedule: 'Heures pleines',
  avgPrice: 'Prix moyen, 30 derniers jours', diskBudget: 'Espace disque maximal', tier: 'Données', kept: 'Conservé', size: 'Taille',
  keptForever: 'sans limite', keptDays: '{n} jours',
  tier_raw: 'Mesures brutes', tier_1m: 'Moyennes sur 1 minute', tier_15m: 'Moyennes sur 15 minutes', tier_1h: 'Moyennes horaires', tier_1d: 'Moyennes journalières',
  kw: 'kW', notAvailable: '–', skip: 'Aller au contenu', theme: 'Le thème suit votre système',
  estimated: 'Estimé sur une lacune des mesures : {e} (hachuré)', estimatedShort: 'Estimé',
  offlineSince: 'hors ligne depuis {t}', totalWithout: 'Sans {m} (hors ligne)', fixedFee: 'Taxe fixe', perMonth: '{c} par mois',
  pricesFrom: 'Dès le {d}', soFar: "jusqu'ici", samePart: 'même partie', untilT: "jusqu'à {t}",
  noChange_noData: 'aucune donnée', noChange_coverage: 'pas comparable : couverture des données différente',
  noChange_partial: 'pas comparable : partie contre tout',
  time: 'Heure', res_raw: 'mesures brutes', res_1m: '1 minute', res_15m: '15 minutes', res_1h: '1 heure', res_1d: '1 jour',
  wd_mon: 'lun', wd_tue: 'mar', wd_wed: 'mer', wd_thu: 'jeu', wd_fri: 'ven', wd_sat: 'sam', wd_sun: 'dim', hours: '{a}–{b}',
  intervalsNote: 'intervalles', perHour: 'par heure',
  badRequest: 'La demande a été refusée ({msg}).', serverError: "Le serveur n'a pas pu répondre ({msg}).",
  q_active_power: 'Puissance active', q_active_energy: 'Énergie active', q_reactive_power: 'Puissance réactive',
  q_reactive_energy: 'Énergie réactive', q_apparent_power: 'Puissance apparente', q_apparent_energy: 'Énergie apparente',
  qd_import: 'soutirage', qd_export: 'injection', qd_absolute: 'absolue', qd_net: 'nette', qd_q: 'quadrant {n}',
  qf_average: 'moyenne', qf_max_demand: 'maximum', q_tariff_n: 'tarif {n}',
  q_current: 'Courant', q_voltage: 'Tension', q_power_factor: 'Facteur de puissance', q_frequency: 'Fréquence',
  q_current_limit: 'Limite de courant', q_current_neutral: 'Courant du neutre', q_voltage_sags: 'Creux de tension',
  q_voltage_swells: 'Surtensions', q_power_failures: 'Coupures de courant', q_long_power_failures: 'Longues coupures de courant',
  q_power_failure_duration: 'Durée des coupures', q_tariff: 'Tarif actif', q_breaker_state: 'État du disjoncteur',
  q_limiter_threshold: 'Seuil du limiteur', q_clock: 'Horloge du compteur', q_meter_serial: 'Numéro de série du compteur',
  q_equipment_id: "Identifiant de l'appareil", q_text_message: 'Message texte', q_numeric_message: 'Message numérique',
  q_mbus_reading: 'Relevé M-Bus', q_mbus_valve_state: 'État de la vanne M-Bus', q_mbus_device_type: "Type d'appareil M-Bus",
  q_mbus_equipment_id: "Identifiant de l'appareil M-Bus", q_p1_version: 'Version P1', q_logical_device_name: "Nom logique de l'appareil",
  q_manufacturer: 'Fabricant', q_list_version: 'Version de la liste',
  missing: 'Pas de données', custom: 'Personnalisé', pickDate: 'Date', dateFormat: 'Date au format {f}', calendar: 'Calendrier',
  keysHint: 'Les touches ← et → passent à la période précédente et suivante.',
  touchHint: 'Glissez latéralement sur le graphique pour zoomer et voir l’énergie et le coût d’une plage.',
  downloadCsv: 'Télécharger {t} en CSV', downloadPng: 'Télécharger {t} en PNG',
  overlay: 'Superposer', overlayNone: 'Rien', compareMeters: 'Deux compteurs', comparePeriods: 'Deux périodes',
  otherPeriod: 'Comparé à', peakAt: 'Pointe {kw} le {t}', heatScale: 'Énergie par heure',
  // Solar and the energy balance (meter roles).
  energyFlow: 'Flux d’énergie', roleGrid: 'Réseau', rolePv: 'Solaire', roleBattery: 'Batterie', roleHouse: 'Maison',
  flowFromGrid: 'soutirage', flowToGrid: 'injection', flowDrawing: 'Soutirage du réseau : {w}', flowFeedingIn: 'Injection dans le réseau : {w}',
  flowSelfShare: '{p} de la maison en énergie propre', solarBalance: 'Solaire et réseau', selfConsumed: 'Autoconsommé', fedIn: 'Injecté',
  imported: 'Soutiré', exported: 'Injecté', production: 'Énergie produite', consumption: 'Consommation', selfSufficiency: 'Autarcie',
  solarGridOnly: 'Avec le seul compteur réseau, production et consommation ne sont pas connues ; donnez au compteur PV le rôle pv.',
  monthlySolar: 'Autarcie et injection par mois', feedInIncome: 'Rétribution de l’injection',
  feedInNote: 'L’autarcie est la part de la consommation couverte par la production propre ; la rétribution est le crédit pour l’énergie injectée au tarif de reprise configuré.',
  // La carte des prix dans Analyses (point d’accès prices).
  priceCard: 'Prix : payé, marché et heures les moins chères', paidEnergy: 'Prix de l’énergie payé', marketAverage: 'Moyenne du marché',
  paidAll: 'Payé avec réseau, taxes et TVA', paidAbove: 'Vous avez payé l’énergie {d} ({p}) de plus que la moyenne du marché.',
  paidBelow: 'Vous avez payé l’énergie {d} ({p}) de moins que la moyenne du marché.',
  noMarketPrice: 'Aucun prix du marché dans cette période : une moyenne du marché demande des prix dynamiques.',
  paidNote: 'Moyenne sur {e} soutirés, chaque quart d’heure au prix valable alors',
  cheapestTomorrow: 'Heures les moins chères demain',
  noTomorrow_noDynamic: 'Les heures les moins chères de demain demandent des prix day-ahead ; aucun n’est configuré.',
  noTomorrow_pastShare: 'Ce lien ne couvre que des jours passés ; les prix de demain ne sont pas affichés.',
  noTomorrow_notYet: 'Toutes les heures de demain n’ont pas encore de prix ; les prix day-ahead paraissent en général en début d’après-midi.',
  shiftTitle: 'Déplacer les charges flexibles', roleHeatPump: 'pompe à chaleur', roleEv: 'voiture électrique', estimate: 'Estimation',
  shiftText: '{e} sur {n} jours ont coûté {a} d’énergie ; aux heures les moins chères de chaque jour, cela aurait coûté environ {b}.',
  shiftSaving: 'environ {m} de moins', shiftDearer: 'environ {m} de plus',
  shiftMethod: 'Une estimation : l’énergie de chaque jour déplacée vers autant d’heures les moins chères de ce jour que le compteur a fonctionné ; prix de l’énergie seul (sans réseau, taxes ni TVA), sans tenir compte du confort ni des capacités de l’appareil.',
  priceBands: 'Plages tarifaires', band: 'Plage', bandHours: 'Heures', energyPrice: 'Prix de l’énergie', bandRest: 'toutes les autres heures',
  priceFeedFresh: 'Source de prix : {p} depuis {t} ({age}) ; prix le plus récent {newest}.', priceFeedNone: 'aucun',
  priceFeedStale: 'La source de prix est périmée : aucun prix ne couvre le moment présent (prix le plus récent {t}, {age}). Les coûts utilisent le prix fixe ; vérifiez la source de prix du compteur {meter}.',
};

const it: Dict = {
  community: 'Comunità', communityNow: 'Ora nella comunità', localPower: 'Condiviso localmente',
  membersSilent: 'Nessuna lettura in tempo reale da: {m}', thisMonth: 'Questo mese', localOfUse: '{l} su {c} da produzione locale',
  allocationPerDay: 'Energia locale per membro e giorno', fromGrid: 'Dalla rete', member: 'Membro', localEnergy: 'Energia locale',
  soldLocally: 'Venduto localmente', bill: 'Fattura', billOf: 'Fattura stampabile di {m}', memberLinks: 'Link per i membri',
  createMemberLinks: 'Crea un link per ogni membro', memberLinksNote: 'Ogni link mostra solo i contatori, la ripartizione e le fatture di quel membro, mai quelli di un altro. I link sono mostrati solo ora; sono elencati e revocabili in «Condivisione».',
  linkOf: 'Link di {m}', copyLinkOf: 'Copia il link di {m}', daysIncomplete: 'In {n} giorni mancano dati di alcuni intervalli: sono esclusi da ogni cifra finché i dati arrivano.',
  summaryPage: 'Riepilogo stampabile', billingPeriod: 'Periodo di fatturazione', chartOfPeriod: 'Energia locale per membro e giorno, {p}',
  appName: 'meterd',
  now: 'Adesso', history: 'Storico', insights: 'Analisi', quality: 'Qualità', sharing: 'Condivisione', settings: 'Impostazioni',
  alerts: 'Allarmi', alertRules: 'Regole di allarme', alertHistory: 'Avvisi', alertRule: 'Regola', alertState: 'Stato',
  alertLastFired: 'Ultimo scatto', alertOk: 'tranquillo', alertFiring: 'scattato', alertSince: '{s} da {t}',
  alertKind_firing: 'scattato', alertKind_reminder: 'ancora scattato', alertKind_resolved: 'risolto',
  alertsBadge: '{n} allarmi scattati', alertsNoRules: 'Nessuna regola di allarme segnalata: si impostano in un sink di allarmi della configurazione meterd.',
  alertsNoHistory: 'Nessun allarme è ancora scattato.',
  alertsNote: 'Le regole provengono dalla configurazione meterd e sono mostrate qui in sola lettura, con i loro avvisi (i più recenti prima).',
  allMeters: 'Tutti i contatori', meter: 'Contatore', language: 'Lingua', logout: 'Esci',
  login: 'Accedi', password: 'Password', loginTitle: 'Accesso alla dashboard', wrongPassword: 'Password errata.',
  tooManyLogins: 'Troppi tentativi falliti. Riprova tra {s} s.', sessionExpired: 'La sessione è scaduta. Accedi di nuovo.',
  unreachable: 'Il servizio meterd non è raggiungibile. Nuovo tentativo…', retry: 'Riprova',
  shareInvalid: 'Questo link non è più valido: è stato revocato, è scaduto o è errato.',
  shareNotAllowed: 'Questo link non comprende queste informazioni.',
  loading: 'Caricamento…', noData: 'Nessun dato per questo periodo.', error: 'Errore: {msg}',
  livePower: 'Potenza attuale', total: 'Totale', lastUpdate: 'Aggiornato {t}', waitingLive: 'In attesa della prima misura in diretta…',
  liveLost: 'Connessione in diretta interrotta, riconnessione…', phase: 'Fase', voltage: 'Tensione', current: 'Corrente', power: 'Potenza',
  powerFactor: 'Fattore di potenza', today: 'Oggi finora', yesterdaySameTime: 'Ieri fino alla stessa ora',
  energy: 'Energia', cost: 'Costo', coverage: 'Copertura dei dati {p}', last15min: 'Ultimi 15 minuti',
  range: 'Periodo', hour: 'Ora', day: 'Giorno', week: 'Settimana', month: 'Mese', year: 'Anno', years5: '5 anni',
  earlier: 'Prima', later: 'Dopo', resetZoom: 'Annulla lo zoom', resolution: 'Risoluzione: {r}',
  energyPer: 'Energia per {p}', compare: 'Confronto', current_: 'Questo periodo ({p})', previous: 'Periodo precedente ({p})',
  lastYear: "Stesso periodo dell'anno scorso ({p})",
  selection: 'Selezione', selectHint: "Trascina sul grafico per ingrandire e vedere l'energia e il costo di un intervallo.",
  selectionEnergy: '{from} – {to}: {e}, {c}', change: 'Variazione',
  baseLoad: 'Carico di base', baseLoadText: 'Consumo permanente (10° percentile notturno degli ultimi 30 giorni), valutato con le ore di tariffa alta e bassa di una settimana.',
  perYear: "{c} all'anno", peaks: 'Potenza massima su 15 minuti per mese', htnt: 'Tariffa alta / bassa (ultimi 12 mesi)',
  ht: 'Tariffa alta', nt: 'Tariffa bassa', noSchedule: 'Nessun orario di tariffa alta/bassa configurato.',
  heatmap: 'Energia per ora del giorno (ultime 8 settimane)', meterShares: 'Quota di ogni contatore (ultimi 12 mesi)',
  voltageBand: 'Tensione per fase rispetto a 230 V ±10 % (ultimi 7 giorni)', minutesOutside: 'Minuti sotto 207 V: {b}, sopra 253 V: {a} (su {m})',
  min: 'Min', max: 'Max', mean: 'Media', inBand: 'nella banda', outOfBand: 'fuori dalla banda',
  shares: 'Link di condivisione', createShare: 'Crea link di condivisione', label: 'Etichetta', meters: 'Contatori', from: 'Da', to: 'A',
  detail: 'Dettaglio', expires: 'Scade', never: 'mai', create: 'Crea', revoke: 'Revoca', revoked: 'revocato',
  expired: 'scaduto', active: 'attivo', copy: 'Copia', copied: 'Copiato', shareCreated: 'Link creato. Viene mostrato solo ora:',
  detail_daily: 'Totali giornalieri', detail_hourly: 'Orario e 15 minuti', detail_full: 'Completo (diretta, grezzi, tensione)',
  noShares: 'Ancora nessun link di condivisione.', confirmRevoke: 'Revocare questo link? Chi lo usa perde subito l’accesso.',
  timeZone: 'Fuso orario', tariffs: 'Tariffe', currency: 'Valuta', storage: 'Archiviazione', quantities: 'Grandezze',
  settingsNote: 'Le impostazioni provengono dal file di configurazione di meterd e sono mostrate qui in sola lettura.',
  tariffNote: 'Prezzi e orari di tariffa alta si impostano nella sezione [sink.dashboard] (prices o price, price_ht, price_nt; ht_schedule; fixed_fee_per_month).',
  sharedView: 'Vista condivisa', sharedScope: 'Condiviso: {m}, {from} – {to}, {d}', validUntil: 'valido fino al {d}',
  used: '{u} di {b} usati', noBudget: 'nessun limite', rawPoints: '{n} valori grezzi',
  general: 'Generale', name: 'Nome', perKwh: '{p} per kWh', singlePrice: 'Prezzo (ogni ora)', htSchedule: 'Orari tariffa alta',
  avgPrice: 'Prezzo medio, ultimi 30 giorni', diskBudget: 'Spazio disco massimo', tier: 'Dati', kept: 'Conservato', size: 'Dimensione',
  keptForever: 'senza limite', keptDays: '{n} giorni',
  tier_raw: 'Misure grezze', tier_1m: 'Medie su 1 minuto', tier_15m: 'Medie su 15 minuti', tier_1h: 'Medie orarie', tier_1d: 'Medie giornaliere',
  kw: 'kW', notAvailable: '–', skip: 'Vai al contenuto', theme: 'Il tema segue il sistema',
  estimated: 'Stimato su una lacuna nelle misure: {e} (tratteggiato)', estimatedShort: 'Stimato',
  offlineSince: 'offline da {t}', totalWithout: 'Senza {m} (offline)', fixedFee: 'Tassa fissa', perMonth: '{c} al mese',
  pricesFrom: 'Dal {d}', soFar: 'finora', samePart: 'stessa parte', untilT: 'fino alle {t}',
  noChange_noData: 'nessun dato', noChange_coverage: 'non confrontabile: copertura dei dati diversa',
  noChange_partial: 'non confrontabile: parte contro intero',
  time: 'Ora', res_raw: 'misure grezze', res_1m: '1 minuto', res_15m: '15 minuti', res_1h: '1 ora', res_1d: '1 giorno',
  wd_mon: 'lun', wd_tue: 'mar', wd_wed: 'mer', wd_thu: 'gio', wd_fri: 'ven', wd_sat: 'sab', wd_sun: 'dom', hours: '{a}–{b}',
  intervalsNote: 'intervalli', perHour: "all'ora",
  badRequest: 'La richiesta è stata rifiutata ({msg}).', serverError: 'Il server non ha potuto rispondere ({msg}).',
  q_active_power: 'Potenza attiva', q_active_energy: 'Energia attiva', q_reactive_power: 'Potenza reattiva',
  q_reactive_energy: 'Energia reattiva', q_apparent_power: 'Potenza apparente', q_apparent_energy: 'Energia apparente',
  qd_import: 'prelievo', qd_export: 'immissione', qd_absolute: 'assoluta', qd_net: 'netta', qd_q: 'quadrante {n}',
  qf_average: 'media', qf_max_demand: 'massimo', q_tariff_n: 'tariffa {n}',
  q_current: 'Corrente', q_voltage: 'Tensione', q_power_factor: 'Fattore di potenza', q_frequency: 'Frequenza',
  q_current_limit: 'Limite di corrente', q_current_neutral: 'Corrente di neutro', q_voltage_sags: 'Buchi di tensione',
  q_voltage_swells: 'Sovratensioni', q_power_failures: 'Interruzioni di corrente', q_long_power_failures: 'Interruzioni lunghe',
  q_power_failure_duration: 'Durata delle interruzioni', q_tariff: 'Tariffa attiva', q_breaker_state: "Stato dell'interruttore",
  q_limiter_threshold: 'Soglia del limitatore', q_clock: 'Orologio del contatore', q_meter_serial: 'Numero di serie del contatore',
  q_equipment_id: "Identificativo dell'apparecchio", q_text_message: 'Messaggio di testo', q_numeric_message: 'Messaggio numerico',
  q_mbus_reading: 'Lettura M-Bus', q_mbus_valve_state: 'Stato della valvola M-Bus', q_mbus_device_type: 'Tipo di apparecchio M-Bus',
  q_mbus_equipment_id: 'Identificativo M-Bus', q_p1_version: 'Versione P1', q_logical_device_name: "Nome logico dell'apparecchio",
  q_manufacturer: 'Produttore', q_list_version: 'Versione della lista',
  missing: 'Nessun dato', custom: 'Personalizzato', pickDate: 'Data', dateFormat: 'Data nel formato {f}', calendar: 'Calendario',
  keysHint: 'I tasti ← e → passano al periodo precedente e successivo.',
  touchHint: 'Scorrere lateralmente sul grafico per ingrandire e vedere energia e costo di un intervallo.',
  downloadCsv: 'Scarica {t} come CSV', downloadPng: 'Scarica {t} come PNG',
  overlay: 'Sovrapponi', overlayNone: 'Niente', compareMeters: 'Due contatori', comparePeriods: 'Due periodi',
  otherPeriod: 'Confrontato con', peakAt: 'Picco {kw} il {t}', heatScale: 'Energia per ora',
  // Solar and the energy balance (meter roles).
  energyFlow: 'Flusso di energia', roleGrid: 'Rete', rolePv: 'Solare', roleBattery: 'Batteria', roleHouse: 'Casa',
  flowFromGrid: 'prelievo', flowToGrid: 'immissione', flowDrawing: 'Prelievo dalla rete: {w}', flowFeedingIn: 'Immissione in rete: {w}',
  flowSelfShare: '{p} della casa da energia propria', solarBalance: 'Solare e rete', selfConsumed: 'Autoconsumato', fedIn: 'Immesso',
  imported: 'Prelevato', exported: 'Immesso', production: 'Produzione', consumption: 'Consumo', selfSufficiency: 'Autarchia',
  solarGridOnly: 'Con il solo contatore di rete, produzione e consumo non sono noti; assegnare al contatore FV il ruolo pv.',
  monthlySolar: 'Autarchia e immissione per mese', feedInIncome: 'Rimunerazione dell’immissione',
  feedInNote: 'L’autarchia è la quota del consumo coperta dalla produzione propria; la rimunerazione è il credito per l’energia immessa alla tariffa di ripresa configurata.',
  // La scheda dei prezzi in Analisi (endpoint prices).
  priceCard: 'Prezzi: pagato, mercato e ore più convenienti', paidEnergy: 'Prezzo dell’energia pagato', marketAverage: 'Media di mercato',
  paidAll: 'Pagato con rete, tributi e IVA', paidAbove: 'Ha pagato l’energia {d} ({p}) in più della media di mercato.',
  paidBelow: 'Ha pagato l’energia {d} ({p}) in meno della media di mercato.',
  noMarketPrice: 'Nessun prezzo di mercato in questo periodo: una media di mercato richiede prezzi dinamici.',
  paidNote: 'Media su {e} prelevati, ogni quarto d’ora al prezzo valido allora',
  cheapestTomorrow: 'Ore più convenienti domani',
  noTomorrow_noDynamic: 'Le ore più convenienti di domani richiedono prezzi day-ahead; non ne è configurato nessuno.',
  noTomorrow_pastShare: 'Questo link copre solo giorni passati; i prezzi di domani non sono mostrati.',
  noTomorrow_notYet: 'Non tutte le ore di domani hanno già un prezzo; i prezzi day-ahead escono di solito nel primo pomeriggio.',
  shiftTitle: 'Spostare i carichi flessibili', roleHeatPump: 'pompa di calore', roleEv: 'auto elettrica', estimate: 'Stima',
  shiftText: '{e} in {n} giorni sono costati {a} di energia; nelle ore più convenienti di ogni giorno sarebbero costati circa {b}.',
  shiftSaving: 'circa {m} in meno', shiftDearer: 'circa {m} in più',
  shiftMethod: 'Una stima: l’energia di ogni giorno spostata in tante ore più convenienti di quel giorno quante il contatore ha funzionato; solo il prezzo dell’energia (senza rete, tributi né IVA), senza tener conto del comfort né di ciò che l’apparecchio può fare.',
  priceBands: 'Fasce orarie', band: 'Fascia', bandHours: 'Ore', energyPrice: 'Prezzo dell’energia', bandRest: 'tutte le altre ore',
  priceFeedFresh: 'Fonte dei prezzi: {p} dalle {t} ({age}); prezzo più recente {newest}.', priceFeedNone: 'nessuno',
  priceFeedStale: 'La fonte dei prezzi non è aggiornata: nessun prezzo copre il momento attuale (prezzo più recente {t}, {age}). I costi usano il prezzo fisso; controlli la fonte dei prezzi del contatore {meter}.',
};

/** Every language's dictionary; each is typed as complete, and a unit test checks it too. */
export const DICTS: Record<Lang, Dict> = { en, de, fr, it };
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

const DATE_STYLES: Record<DateStyle, Intl.DateTimeFormatOptions> = {
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

  /** A stored quantity's name in words ("active_power_import_l1" → "Active power, import, L1"), never the identifier. */
  quantity(name: string): string {
    const id = name.split('#')[0];
    const m = /^(active|reactive|apparent)_(power|energy)_(import|export|absolute|net|q([1-4]))(?:_(average|max_demand))?(?:_l([1-3])|_t(\d))?$/.exec(id);
    if (m) {
      const parts = [this.t(`q_${m[1]}_${m[2]}` as Key), m[4] ? this.t('qd_q', { n: m[4] }) : this.t(`qd_${m[3]}` as Key)];
      if (m[5]) parts.push(this.t(`qf_${m[5]}` as Key));
      if (m[6]) parts.push(`L${m[6]}`);
      if (m[7]) parts.push(this.t('q_tariff_n', { n: m[7] }));
      return parts.join(', ');
    }
    const p = /^([a-z0-9_]+?)(?:_l([1-3]))?$/.exec(id);
    const key = `q_${p?.[1] ?? ''}`;
    if (p && key in this.dict) return this.dict[key as Key] + (p[2] ? ` L${p[2]}` : '');
    return id.replace(/_/g, ' '); // a quantity this version does not know: words, at least
  }

  /** A series resolution as the API names it ("1m") in words ("1 minute"). */
  resolution(r: string): string {
    const key = `res_${r}`;
    return key in this.dict ? this.dict[key as Key] : r;
  }

  /** The high-tariff schedule as configured ("Mon-Fri 07-20, Sat 07-13") with this language's days and hours. */
  schedule(text: string): string {
    const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
    const day = (d: string) => this.t(`wd_${d.toLowerCase()}` as Key);
    const parts = text.split(',').map((part) => /^\s*(\w{3})(?:-(\w{3}))?\s+(\d{1,2})-(\d{1,2})\s*$/.exec(part));
    if (parts.some((m) => !m || !days.includes(m[1].toLowerCase()) || (m[2] && !days.includes(m[2].toLowerCase())))) return text;
    return parts.map((m) => {
      const [, d0, d1, h0, h1] = m as RegExpExecArray;
      const hour = (h: string) => `${h.padStart(2, '0')}:00`;
      return `${day(d0)}${d1 ? `–${day(d1)}` : ''} ${this.t('hours', { a: hour(h0), b: hour(h1) })}`;
    }).join(', ');
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

  /** The formatter of a date style, made once: the axes format hundreds of dates per drawing. */
  private df(style: DateStyle): Intl.DateTimeFormat {
    const key = `d${style}`;
    let f = this.cache.get(key) as Intl.DateTimeFormat | undefined;
    if (!f) {
      f = new Intl.DateTimeFormat(this.locale, { timeZone: this.timeZone, ...DATE_STYLES[style] });
      this.cache.set(key, f);
    }
    return f;
  }

  date(ms: number, style: DateStyle = 'day'): string {
    return this.df(style).format(new Date(ms));
  }
}
