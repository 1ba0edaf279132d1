# Independent check of the Olist time-to-convert numbers: Kaplan–Meier /
# Aalen–Johansen written from the formula (no lost leads in Olist: every
# lead not won is open, censored at the latest date in either file).
import csv, datetime as dt, math, collections
L = list(csv.DictReader(open('marketing_qualified_leads.csv')))
D = {r['mql_id']: r for r in csv.DictReader(open('closed_deals.csv'))}
def d1(s): return dt.datetime.strptime(s, '%d-%m-%Y')
def d2(s):
    for f in ('%d-%m-%Y %H:%M', '%d-%m-%Y'):
        try: return dt.datetime.strptime(s, f)
        except ValueError: pass
latest = max([d1(r['first_contact_date']) for r in L] + [d2(r['won_date']) for r in D.values() if r['won_date']])
print('latest', latest)
conv = collections.defaultdict(list); opn = collections.defaultdict(list)
for r in L:
    c = d1(r['first_contact_date']); p = c.strftime('%Y-%m')
    if r['mql_id'] in D and D[r['mql_id']]['won_date']:
        days = (d2(D[r['mql_id']]['won_date']) - c).total_seconds() / 86400
        if days >= 0: conv[p].append(days)
    else:
        opn[p].append((latest - c).total_seconds() / 86400)
def F(cv, op, t):
    times = sorted(set(x for x in cv if x <= t))
    f, s = 0.0, 1.0
    for u in times:
        risk = sum(1 for x in cv if x >= u) + sum(1 for x in op if x >= u)
        d = sum(1 for x in cv if x == u)
        f += s * d / risk; s *= 1 - d / risk
    return f
def q(cv, op, qq, H=365):
    fh = F(cv, op, H)
    if fh == 0: return None
    # F only changes at conversion days: walk them in order
    times = sorted(set(cv)); f, s = 0.0, 1.0
    for u in times:
        risk = sum(1 for x in cv if x >= u) + sum(1 for x in op if x >= u)
        d = sum(1 for x in cv if x == u)
        f += s * d / risk; s *= 1 - d / risk
        if f >= qq * fh - 1e-12: return u
allc = [x for p in conv for x in conv[p]]; allo = [x for p in opn for x in opn[p]]
p90 = q(allc, allo, 0.9); W = 7 * max(1, math.ceil(p90 / 7))
print('pooled p90 %.4f W %d' % (p90, W))
for p in sorted(set(conv) | set(opn)):
    cv, op = conv[p], opn[p]
    m, p9 = q(cv, op, 0.5), q(cv, op, 0.9)
    k = sum(1 for x in cv if x <= W); n = len(cv) + len(op)
    print(p, 'n', n, 'conv', len(cv), 'median', None if m is None else round(m, 4), 'p90', None if p9 is None else round(p9, 4), 'rW %d/%d' % (k, n))
