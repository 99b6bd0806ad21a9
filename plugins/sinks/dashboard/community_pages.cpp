#include "community_pages.hpp"

#include <cstdio>

#include "csv_reply.hpp"
#include "meterd/csv_field.hpp"

namespace meterd::dashboard {
namespace {

using nlohmann::json;

std::string escape(const std::string& s) {
  std::string out;
  for (const char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += ch;
    }
  }
  return out;
}

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}
std::string kwh_text(std::int64_t wh) { return fixed(static_cast<double>(wh) / 1000, 3); }
// A local date, "2026-03-01", of an instant.
std::string day_of(std::int64_t ms, const TimeZone& zone) { return local_iso_time(ms, zone).substr(0, 10); }

// The page around a bill or a summary: A4, no screen chrome when printed, tables that do not
// break a row across pages.
std::string page(const std::string& title, const std::string& body) {
  return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) +
         "</title>\n<style>\n"
         "body{font:14px/1.45 system-ui,sans-serif;color:#111;max-width:48rem;margin:2rem auto;padding:0 1rem}\n"
         "h1{font-size:1.4rem;margin:0 0 .2rem}h2{font-size:1.05rem;margin:1.6rem 0 .4rem}\n"
         ".meta{color:#444;margin:0 0 1rem}table{border-collapse:collapse;width:100%}\n"
         "th,td{padding:.3rem .4rem;border-bottom:1px solid #ccc;text-align:left}td.n,th.n{text-align:right;"
         "font-variant-numeric:tabular-nums}\ntr.sum td{font-weight:600;border-top:2px solid #111}\n"
         ".draft{border:2px solid #b00;color:#b00;padding:.5rem .8rem;font-weight:600}\n"
         "ul.notes{padding-left:1.2rem;color:#333}\n"
         "@page{size:A4;margin:18mm}\n"
         "@media print{body{margin:0;max-width:none;font-size:11pt}a{color:inherit;text-decoration:none}"
         "tr{break-inside:avoid}}\n"
         "</style></head><body>\n" + body + "</body></html>\n";
}

std::string line_row(const BillLine& l, const std::string& currency) {
  return "<tr><td>" + escape(l.item) + "</td><td class=\"n\">" + (l.per_kwh ? kwh_text(l.wh) : std::string()) +
         "</td><td class=\"n\">" + fixed(l.unit_price, 4) + (l.per_kwh ? " " + escape(currency) + "/kWh" : " " + escape(currency) + "/month") +
         "</td><td class=\"n\">" + fixed(l.amount, 2) + "</td></tr>\n";
}

std::string sum_row(const std::string& label, double amount) {
  return "<tr class=\"sum\"><td colspan=\"3\">" + escape(label) + "</td><td class=\"n\">" + fixed(amount, 2) + "</td></tr>\n";
}

void csv_row(std::string& out, std::initializer_list<std::string> fields) {
  bool first = true;
  for (const auto& f : fields) {
    if (!first) out += ',';
    append_csv_field(out, f);
    first = false;
  }
  out += "\r\n";
}

}  // namespace

std::string bill_html(const Bill& b, const TimeZone& zone) {
  std::string body = "<h1>" + escape(b.community) + " — electricity bill</h1>\n<p class=\"meta\">" + escape(b.member_name) +
                     " (" + escape(b.member_id) + ", " + escape(b.role) + ")<br>Period " + escape(b.period) + ": " +
                     day_of(b.from_ms, zone) + " to " + day_of(b.to_ms - 1, zone) + " · " + escape(b.kind) + " · " +
                     "allocated per 15 minutes</p>\n";
  if (!b.complete) body += "<p class=\"draft\">Not final: intervals without data are left out (see notes).</p>\n";
  const std::string head = "<table><thead><tr><th>Item</th><th class=\"n\">kWh</th><th class=\"n\">Price</th>"
                           "<th class=\"n\">Amount " + escape(b.currency) + "</th></tr></thead><tbody>\n";
  body += "<h2>Charges</h2>\n" + head;
  for (const auto& l : b.lines) body += line_row(l, b.currency);
  body += sum_row("Subtotal", b.subtotal) + sum_row("VAT " + fixed(b.vat_percent, 1) + " %", b.vat) + sum_row("Total", b.total);
  body += "</tbody></table>\n";
  if (!b.credits.empty()) {
    body += "<h2>Production</h2>\n" + head;
    for (const auto& l : b.credits) body += line_row(l, b.currency);
    body += sum_row("Total credit", b.credit_total) + "</tbody></table>\n";
  }
  const auto& e = b.energy;
  body += "<h2>Energy</h2>\n<table><tbody>\n<tr><td>Consumption</td><td class=\"n\">" + kwh_text(e.consumption_wh) +
          " kWh</td></tr>\n<tr><td>of it local solar</td><td class=\"n\">" + kwh_text(e.allocated_wh) +
          " kWh</td></tr>\n<tr><td>of it from the grid</td><td class=\"n\">" + kwh_text(e.grid_wh) + " kWh</td></tr>\n";
  if (e.production_wh > 0 || !b.credits.empty())
    body += "<tr><td>Production</td><td class=\"n\">" + kwh_text(e.production_wh) + " kWh</td></tr>\n";
  body += "</tbody></table>\n";
  if (!b.notes.empty()) {
    body += "<h2>Notes</h2>\n<ul class=\"notes\">\n";
    for (const auto& n : b.notes) body += "<li>" + escape(n) + "</li>\n";
    body += "</ul>\n";
  }
  return page(b.community + " — " + b.member_name + " — " + b.period, body);
}

std::string bill_csv(const Bill& b) {
  std::string out;
  csv_row(out, {"section", "item", "kwh", "unit_price_" + b.currency, "amount_" + b.currency});
  for (const auto& l : b.lines)
    csv_row(out, {"charge", l.item, l.per_kwh ? kwh_text(l.wh) : "", fixed(l.unit_price, 4), fixed(l.amount, 2)});
  csv_row(out, {"total", "Subtotal", "", "", fixed(b.subtotal, 2)});
  csv_row(out, {"total", "VAT " + fixed(b.vat_percent, 1) + " %", "", "", fixed(b.vat, 2)});
  csv_row(out, {"total", "Total", "", "", fixed(b.total, 2)});
  for (const auto& l : b.credits) csv_row(out, {"credit", l.item, kwh_text(l.wh), fixed(l.unit_price, 4), fixed(l.amount, 2)});
  if (!b.credits.empty()) csv_row(out, {"total", "Total credit", "", "", fixed(b.credit_total, 2)});
  for (const auto& n : b.notes) csv_row(out, {"note", n, "", "", ""});
  return out;
}

std::string summary_html(const json& s, const std::string& currency, const TimeZone& zone) {
  const auto pct = [](const json& v) { return v.is_null() ? std::string("–") : fixed(v.get<double>() * 100, 1) + " %"; };
  std::string body = "<h1>" + escape(s["community"].get<std::string>()) + " — summary " + escape(s["period"].get<std::string>()) +
                     "</h1>\n<p class=\"meta\">" + day_of(s["from_ms"], zone) + " to " + day_of(s["to_ms"].get<std::int64_t>() - 1, zone) +
                     " · " + escape(s["kind"].get<std::string>()) + " · " + std::to_string(s["intervals"].get<std::int64_t>()) +
                     " intervals of 15 min</p>\n";
  if (!s["complete"].get<bool>())
    body += "<p class=\"draft\">Not final: " + std::to_string(s["unresolved_intervals"].get<std::int64_t>()) +
            " intervals without data are left out.</p>\n";
  body += "<table><tbody>\n<tr><td>Production</td><td class=\"n\">" + kwh_text(s["production_wh"]) +
          " kWh</td></tr>\n<tr><td>Consumption</td><td class=\"n\">" + kwh_text(s["consumption_wh"]) +
          " kWh</td></tr>\n<tr><td>Used locally</td><td class=\"n\">" + kwh_text(s["local_wh"]) +
          " kWh</td></tr>\n<tr><td>From the grid</td><td class=\"n\">" + kwh_text(s["grid_wh"]) +
          " kWh</td></tr>\n<tr><td>Fed into the grid</td><td class=\"n\">" + kwh_text(s["fed_in_wh"]) +
          " kWh</td></tr>\n<tr><td>Self-sufficiency</td><td class=\"n\">" + pct(s["self_sufficiency"]) +
          "</td></tr>\n<tr><td>Self-consumption</td><td class=\"n\">" + pct(s["self_consumption"]) + "</td></tr>\n</tbody></table>\n";
  body += "<h2>Members</h2>\n<table><thead><tr><th>Member</th><th class=\"n\">Consumed kWh</th><th class=\"n\">Local kWh</th>"
          "<th class=\"n\">Share of local</th><th class=\"n\">Produced kWh</th><th class=\"n\">Due " + escape(currency) +
          "</th><th class=\"n\">Income " + escape(currency) + "</th></tr></thead><tbody>\n";
  for (const auto& m : s["members"])
    body += "<tr><td>" + escape(m["name"].get<std::string>()) + (m["complete"].get<bool>() ? "" : " (not final)") +
            "</td><td class=\"n\">" + kwh_text(m["consumption_wh"]) + "</td><td class=\"n\">" + kwh_text(m["allocated_wh"]) +
            "</td><td class=\"n\">" + pct(m["share_of_local"]) + "</td><td class=\"n\">" + kwh_text(m["production_wh"]) +
            "</td><td class=\"n\">" + fixed(m["total_due"], 2) + "</td><td class=\"n\">" + fixed(m["income"], 2) + "</td></tr>\n";
  body += "</tbody></table>\n";
  return page(s["community"].get<std::string>() + " — " + s["period"].get<std::string>(), body);
}

std::string summary_csv(const json& s) {
  std::string out;
  csv_row(out, {"member", "name", "role", "consumption_kwh", "local_kwh", "share_of_local", "grid_kwh", "production_kwh",
                "sold_kwh", "fed_in_kwh", "total_due", "income", "complete", "missing_intervals", "estimated_intervals"});
  for (const auto& m : s["members"])
    csv_row(out, {m["member"], m["name"], m["role"], kwh_text(m["consumption_wh"]), kwh_text(m["allocated_wh"]),
                  m["share_of_local"].is_null() ? "" : fixed(m["share_of_local"], 6), kwh_text(m["grid_wh"]),
                  kwh_text(m["production_wh"]), kwh_text(m["sold_wh"]), kwh_text(m["fed_in_wh"]), fixed(m["total_due"], 2),
                  fixed(m["income"], 2), m["complete"].get<bool>() ? "yes" : "no",
                  std::to_string(m["missing_intervals"].get<std::int64_t>()),
                  std::to_string(m["estimated_intervals"].get<std::int64_t>())});
  csv_row(out, {"community", s["community"], s["kind"], kwh_text(s["consumption_wh"]), kwh_text(s["local_wh"]), "",
                kwh_text(s["grid_wh"]), kwh_text(s["production_wh"]), "", kwh_text(s["fed_in_wh"]), "", "",
                s["complete"].get<bool>() ? "yes" : "no", std::to_string(s["unresolved_intervals"].get<std::int64_t>()),
                std::to_string(s["estimated_intervals"].get<std::int64_t>())});
  return out;
}

}  // namespace meterd::dashboard
