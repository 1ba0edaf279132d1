#!/usr/bin/env python3
"""Writes the dialect fixtures: one lead export, saved the ways real tools
save it. Every file must load to the same numbers as plain.csv
(TestDialectsLoadAlike). Run from this folder: python3 make_fixtures.py"""
import datetime as dt

# lead, created, proposal, won, channel, region, amount, note
LEADS = [
    ("L01", "2025-01-05", "2025-01-09", "2025-02-01", "web", "Урал", 1200.5, ""),
    ("L02", "2025-01-12", "2025-01-20", "", "web", "Сибирь", None, "перезвонить\nв среду"),
    ("L03", "2025-01-20", "", "", "partner", "Урал", None, ""),
    ("L04", "2025-01-31", "2025-02-03", "2025-02-14 15:30", "partner", "Сибирь", 15000, ""),
    ("L05", "2025-02-01", "", "2025-03-01", "web", "Урал", 2500, ""),
    ("L06", "2025-02-14", "2025-02-20", "", "web", "Урал", None, ""),
    ("L07", "2025-02-15", "2025-02-16", "2025-03-20", "partner", "Урал", 1234567.25, 'a "quoted" note, with comma'),
    ("L08", "2025-03-03", "", "", "web", "Сибирь", None, ""),
    ("L09", "2025-03-13", "2025-03-14", "", "partner", "Сибирь", None, ""),
    ("L10", "2025-03-31", "2025-04-02", "2025-04-30", "web", "Сибирь", 999.99, ""),
]
HEADER = ["lead_id", "created", "proposal", "won", "channel", "region", "amount", "note"]


def date(s, fmt):
    if not s:
        return ""
    t = dt.datetime.fromisoformat(s)
    has_time = " " in s
    if fmt == "iso":
        return s
    if fmt == "dots":
        return t.strftime("%d.%m.%Y" + (" %H:%M" if has_time else ""))
    if fmt == "dash":
        return t.strftime("%d-%m-%Y" + (" %H:%M" if has_time else ""))
    if fmt == "us":  # M/D/YYYY, 12-hour clock, as US Excel writes
        d = f"{t.month}/{t.day}/{t.year}"
        return d + (" " + t.strftime("%I:%M %p").lstrip("0") if has_time else "")
    if fmt == "isoT":
        return t.strftime("%Y-%m-%dT%H:%M:%S")
    raise ValueError(fmt)


def amount(v, style):
    if v is None:
        return ""
    s = f"{v:,.2f}"  # 1,234,567.25
    return {
        "plain": repr(v) if isinstance(v, float) else str(v),
        "comma_decimal": s.replace(",", " ").replace(".", ","),   # 1 234 567,25
        "nbsp": s.replace(",", "\u00a0").replace(".", ","),       # 1 234 567,25 (NBSP)
        "apostrophe": s.replace(",", "'"),                         # 1'234'567.25
        "english": s,                                              # 1,234,567.25
    }[style]


def quote(cell, delim):
    if any(c in cell for c in (delim, '"', "\n")):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def write(name, delim=",", dates="iso", amounts="plain", encoding="utf-8", bom=False, eol="\n"):
    rows = [HEADER]
    for l in LEADS:
        rows.append([l[0], date(l[1], dates), date(l[2], dates), date(l[3], dates),
                     l[4], l[5], amount(l[6], amounts), l[7]])
    text = eol.join(delim.join(quote(c, delim) for c in r) for r in rows) + eol + eol  # a blank trailing line
    data = text.encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    with open(name, "wb") as f:
        f.write(data)


write("plain.csv")
write("semicolon.csv", delim=";", dates="dots", amounts="comma_decimal")
write("tab.tsv", delim="\t", dates="dots", amounts="comma_decimal")
write("bom.csv", bom=True, eol="\r\n")
write("cp1251.csv", delim=";", dates="dots", amounts="comma_decimal", encoding="cp1251", eol="\r\n")
write("thousands_nbsp.csv", delim=";", dates="dash", amounts="nbsp")
write("thousands_apostrophe.csv", dates="iso", amounts="apostrophe")
write("thousands_english.csv", dates="us", amounts="english")
write("dates_isoT.csv", dates="isoT")

# Snapshots: the same numbers, long and wide, plain and as Russian Excel
# saves them (Windows-1251, ';', NBSP thousands, decimal comma, percents).
SNAP = [  # period, channel, visits, conversion (a fraction), note
    ("2025-Q1", "сайт", 12345, 0.185, ""),
    ("2025-Q1", "партнёры", 2345.0, 0.2, "две\nстроки"),
    ("2025-Q2", "сайт", 13000, 0.1925, ""),
    ("2025-Q2", "партнёры", 1999, 0.25, ""),
]


def snap_long(name, excel):
    d = ";" if excel else ","
    rows = [["period", "channel", "metric", "value", "note"]]
    for p, ch, vis, conv, note in SNAP:
        if excel:
            v = f"{vis:,}".replace(",", "\u00a0").replace(".", ",")
            c = f"{conv * 100:g}%".replace(".", ",")
        else:
            v, c = f"{vis:g}", f"{conv:g}"
        rows.append([p, ch, "visits", v, note])
        rows.append([p, ch, "conversion", c, ""])
    text = "\r\n".join(d.join(quote(c, d) for c in r) for r in rows) + "\r\n"
    open(name, "wb").write(text.encode("cp1251" if excel else "utf-8"))


def snap_wide(name):
    rows = [["period", "channel", "visits", "conversion"]]
    for p, ch, vis, conv, _ in SNAP:
        rows.append([p, ch, f"{vis:,}".replace(",", " ").replace(".", ","), f"{conv * 100:g}".replace(".", ",")])
    text = "\n".join("\t".join(r) for r in rows) + "\n"
    open(name, "wb").write(b"\xef\xbb\xbf" + text.encode("utf-8"))


snap_long("snapshot_plain.csv", excel=False)
snap_long("snapshot_excel_ru.csv", excel=True)
snap_wide("snapshot_wide_bom.tsv")  # BOM, tab, thousands spaces, bare 18,5 for a percent metric
