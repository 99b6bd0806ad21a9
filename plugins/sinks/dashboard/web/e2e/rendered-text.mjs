// What a rendered page says, checked against the dictionaries of src/i18n.ts: in a language
// other than English no text that English has and this language translates; nowhere an
// unfilled {placeholder}, a snake_case identifier (a raw quantity name) or raw JSON.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transform } from 'esbuild';

/** The dictionaries, read from the source the page was built from. */
export async function loadDictionaries(web) {
  const { code } = await transform(readFileSync(join(web, 'src/i18n.ts'), 'utf8'), { loader: 'ts', format: 'esm' });
  return (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)).DICTS;
}

/**
 * Problems in the page's text, each "kind: text". `allowed` are identifiers the page may show
 * as they are (meter ids as configured, option names of the config file).
 */
export async function textProblems(page, dicts, lang, allowed) {
  const en = dicts.en;
  const own = dicts[lang];
  // English texts without placeholders that this language words differently, unless the
  // language uses the same word for something else (Italian "Data" is a date).
  const ownTexts = new Set(Object.values(own));
  const foreign = lang === 'en' ? [] : Object.keys(en)
    .filter((k) => own[k] !== en[k] && !/\{\w+\}/.test(en[k]) && !ownTexts.has(en[k])).map((k) => en[k]);
  return page.evaluate(({ foreign, allowed }) => {
    const texts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement?.closest('script, style, code')) continue;
      const t = n.textContent.trim();
      if (t) texts.push(t);
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]'))
      for (const a of ['aria-label', 'title', 'placeholder']) if (el.getAttribute(a)) texts.push(el.getAttribute(a).trim());
    const problems = [];
    const foreignSet = new Set(foreign);
    const ok = new Set(allowed);
    for (const t of texts) {
      if (foreignSet.has(t)) problems.push(`untranslated: ${t}`);
      if (/\{[A-Za-z_]+\}/.test(t)) problems.push(`placeholder: ${t}`);
      if (/[{[]\s*"[\w-]+"\s*:/.test(t)) problems.push(`raw JSON: ${t.slice(0, 80)}`);
      for (const id of t.match(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g) ?? []) if (!ok.has(id)) problems.push(`identifier ${id}: ${t.slice(0, 80)}`);
    }
    return [...new Set(problems)];
  }, { foreign, allowed });
}
