// A worker that makes one date and one number format as the page will, then ends. The first
// date format of a page loads the locale's and the time zones' data (a fifth of a second and
// more with Chromium's CPU slowed 4x, `e2e/intl-cost.mjs`); that data is shared by the
// page's threads, so loaded here, beside the page's start-up, it no longer holds up the main
// thread when the first chart formats its axes.
self.onmessage = (e: MessageEvent<{ locale: string; zone?: string }>) => {
  const { locale, zone } = e.data;
  try {
    new Intl.DateTimeFormat(locale, { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(Date.now());
    new Intl.NumberFormat(locale).format(1.5);
  } catch {
    // an unknown zone or locale: the page reports it where it uses them
  }
  self.close();
};
