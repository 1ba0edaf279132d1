package clickhouse

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	ch "github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/funnel-report/funnel/internal/sources"
)

// spillLargeGroupBy lets the grouping by lead spill to disk at half the
// server's per-query memory limit instead of failing at the limit: 100M
// events of 10M leads need about 4 GB of hash table, more than a default
// profile grants. A server or profile that already sets a threshold keeps
// its own; without a limit nothing changes.
func spillLargeGroupBy(ctx context.Context, conn driver.Conn) (context.Context, error) {
	rows, err := conn.Query(ctx, "SELECT name, value FROM system.settings WHERE name IN ('max_memory_usage', 'max_bytes_before_external_group_by')")
	if err != nil {
		return ctx, err
	}
	defer rows.Close()
	set := map[string]uint64{}
	for rows.Next() {
		var name, value string
		if err = rows.Scan(&name, &value); err != nil {
			return ctx, err
		}
		set[name], _ = strconv.ParseUint(value, 10, 64)
	}
	if err = rows.Err(); err != nil {
		return ctx, err
	}
	if set["max_memory_usage"] == 0 || set["max_bytes_before_external_group_by"] != 0 {
		return ctx, nil
	}
	// An int: old servers (18.16) take settings as varints, which the
	// driver encodes from int or bool only.
	return ch.Context(ctx, ch.WithSettings(ch.Settings{"max_bytes_before_external_group_by": int(set["max_memory_usage"] / 2)})), nil
}

// PushDown reduces spec's event table to the aggregates of a funnel, in
// two queries (a check of the id and step values, then one pass that
// gives leads per cohort × segment × furthest step and durations per
// transition); only those aggregates cross the network. The SQL keeps to what ClickHouse 18.16 understands.
func PushDown(ctx context.Context, dsn string, spec sources.PushDown) (*sources.EventAggregate, error) {
	if len(spec.Steps) == 0 {
		return nil, errors.New("push-down needs the steps in funnel order")
	}
	conn, err := open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if ctx, err = spillLargeGroupBy(ctx, conn); err != nil {
		return nil, err
	}
	q := newQueries(spec)
	agg := &sources.EventAggregate{Steps: spec.Steps, Dims: spec.Dims}

	// The in-process path fails on an empty id or a step value that is no
	// configured step; so does this one, before counting anything.
	var events, emptyIDs, unknown uint64
	var stray string
	if err = conn.QueryRow(ctx, q.check()).Scan(&events, &emptyIDs, &unknown, &stray); err != nil {
		return nil, err
	}
	switch {
	case emptyIDs > 0:
		return nil, fmt.Errorf("column %q: %d events have an empty id", spec.ID, emptyIDs)
	case unknown > 0:
		return nil, fmt.Errorf("column %q: %d events have a step that is not a configured step (value %q): expected one of %s",
			spec.Step, unknown, stray, strings.Join(quoteAll(spec.Steps), ", "))
	}
	agg.Events = int64(events)

	rows, err := conn.Query(ctx, q.funnel())
	if err != nil {
		return nil, err
	}
	// latest is the last first-occurrence of a step over all leads, in
	// hours: the in-process path's latest date (a repeated step later on
	// does not move it). Open durations run to it, so they are finished
	// once every row is read.
	var latest int64
	var open []sources.DurationCell
	misdated := map[int]*sources.MisdatedCell{}
	var example string
	err = scanAll(rows, len(spec.Dims), 7, &example, func(tuple []string, n []int64) {
		cohort, step, furthest, level, isOpen, value, leads := n[0], int(n[1]), n[2], n[3], n[4] == 1, n[5], n[6]
		switch {
		case step == 0:
			latest = max(latest, n[7]-1)
			agg.Leads = append(agg.Leads, sources.LeadCell{Cohort: cohort, Tuple: tuple, Furthest: int(furthest), Leads: leads})
			if spec.ChainWindowDays > 0 {
				agg.Chain = append(agg.Chain, sources.LeadCell{Cohort: cohort, Tuple: tuple, Furthest: int(level), Leads: leads})
			}
		case isOpen: // value is the hour of step-1, +1
			open = append(open, sources.DurationCell{Cohort: cohort, Tuple: tuple, Step: step, Hours: value, Open: true, Leads: leads})
		case value < 0:
			m := misdated[step]
			if m == nil {
				m = &sources.MisdatedCell{Step: step, Example: example}
				misdated[step] = m
			}
			m.Leads += leads
			m.Example = min(m.Example, example)
		default:
			agg.Durations = append(agg.Durations, sources.DurationCell{Cohort: cohort, Tuple: tuple, Step: step, Hours: value, Leads: leads})
		}
	})
	if err != nil {
		return nil, err
	}
	agg.Latest = latest * sources.DurationResolution
	for _, d := range open {
		d.Hours = latest + 1 - d.Hours
		agg.Durations = append(agg.Durations, d)
	}
	for i := 1; i < len(spec.Steps); i++ {
		if m := misdated[i]; m != nil {
			agg.Misdated = append(agg.Misdated, *m)
		}
	}
	return agg, nil
}

// queries writes the SQL. Names were checked by the config (plain
// identifiers); step values are quoted as string literals.
type queries struct {
	spec  sources.PushDown
	inSet string // ('s0', 's1', …)
}

func newQueries(spec sources.PushDown) queries {
	return queries{spec: spec, inSet: "(" + strings.Join(literals(spec.Steps), ", ") + ")"}
}

// trim is strings.TrimSpace for the ASCII spaces re2's \s knows.
func trim(expr string) string {
	return `replaceRegexpAll(ifNull(toString(` + expr + `), ''), '^\\s+|\\s+$', '')`
}

// events reads the table as the in-process path reads a CSV: id, step and
// segment values trimmed, times in whole hours since 1970 (UTC).
func (q queries) events() string {
	s := q.spec
	cols := []string{
		trim(ident(s.ID)) + " AS fid",
		trim(ident(s.Step)) + " AS fstep",
		"intDiv(toUInt32(" + ident(s.Time) + "), " + fmt.Sprint(sources.DurationResolution) + ") AS fmin",
		ident(s.Time) + " AS ftime",
	}
	for i, d := range s.Dims {
		cols = append(cols, trim(ident(d))+fmt.Sprintf(" AS fseg%d", i))
	}
	return "SELECT " + strings.Join(cols, ", ") + " FROM " + ident(s.Table)
}

func (q queries) check() string {
	return "SELECT count(), countIf(fid = ''), countIf(fstep NOT IN " + q.inSet + "), anyIf(fstep, fstep NOT IN " + q.inSet + ") FROM (" + q.events() + ")"
}

// perLead groups the events by id: the first hour of each step (+1, so
// that 0 means not reached), the segment values of the earliest event
// with a value (ties: the smallest value), the furthest step, the entry
// cohort (first day of its period, in days since 1970: the Go side names
// the period from it) and, with
// chain_window_days, windowFunnel's level.
func (q queries) perLead() string {
	s := q.spec
	var firsts, cols []string
	for _, st := range literals(s.Steps) {
		firsts = append(firsts, "minIf(fmin + 1, fstep = "+st+")")
	}
	cols = append(cols, "["+strings.Join(firsts, ", ")+"] AS f")
	for i := range s.Dims {
		cols = append(cols, fmt.Sprintf("argMinIf(fseg%[1]d, (fmin, fseg%[1]d), fseg%[1]d != '') AS g%[1]d", i))
	}
	level := "toUInt8(0)"
	if s.ChainWindowDays > 0 {
		var conds []string
		for _, st := range literals(s.Steps) {
			conds = append(conds, "fstep = "+st)
		}
		level = fmt.Sprintf("windowFunnel(%d)(ftime, %s)", int64(s.ChainWindowDays*86400), strings.Join(conds, ", "))
	}
	cols = append(cols, level+" AS level")
	inner := "SELECT fid, " + strings.Join(cols, ", ") + " FROM (" + q.events() + ") WHERE fstep IN " + q.inSet + " GROUP BY fid"
	n := len(s.Steps)
	outer := []string{"fid", "f", "level",
		fmt.Sprintf("%d - indexOf(arrayReverse(arrayMap(x -> x > 0, f)), 1) AS furthest", n),
		"arrayReduce('min', arrayFilter(x -> x > 0, f)) - 1 AS entry",
		"toUInt32(" + q.cohort("toDate(toDateTime(entry * "+fmt.Sprint(sources.DurationResolution)+", 'UTC'), 'UTC')") + ") AS cohort",
	}
	for i := range s.Dims {
		outer = append(outer, fmt.Sprintf("g%d", i))
	}
	return "SELECT " + strings.Join(outer, ", ") + " FROM (" + inner + ")"
}

// cohort is the first day of the period (month, ISO week, …) of day.
func (q queries) cohort(day string) string {
	switch q.spec.Granularity {
	case "quarter":
		return "toStartOfQuarter(" + day + ")"
	case "week":
		return "toMonday(" + day + ")"
	case "year":
		return "toStartOfYear(" + day + ")"
	}
	return "toStartOfMonth(" + day + ")"
}

func (q queries) groups() string {
	g := []string{"cohort"}
	for i := range q.spec.Dims {
		g = append(g, fmt.Sprintf("g%d", i))
	}
	return strings.Join(g, ", ")
}

// funnel is push-down's one pass over the table: per-lead rows (perLead)
// array-joined into one row per lead for step 0 (leads per cohort ×
// tuple × furthest step × chain level, and the lead's latest step time)
// and one per transition i (step i-1 → i) the lead entered: converted
// (both steps dated: the hours between, negative = misdated, with the
// smallest such id) or open (at step i-1, no later step yet: the hour of
// step i-1, turned into the wait until the data's end once its latest
// hour is known). Two passes, one per kind of row, took twice as long:
// grouping the events by lead is most of the cost.
func (q queries) funnel() string {
	n := len(q.spec.Steps)
	return "SELECT " + q.groups() + ", toInt64(i), toInt64(kf), toInt64(kl), toInt64(open), toInt64(v), toInt64(count()), toInt64(max(mx)), " +
		"minIf(fid, i > 0 AND NOT open AND v < 0) FROM (" +
		"SELECT " + q.groups() + ", fid, i, if(i = 0, furthest, 0) AS kf, if(i = 0, level, 0) AS kl, " +
		"i > 0 AND f[i + 1] = 0 AS open, " +
		"if(i = 0, 0, if(open, toInt64(f[i]), toInt64(f[i + 1]) - toInt64(f[i]))) AS v, " +
		"if(i = 0, arrayReduce('max', f), 0) AS mx " +
		"FROM (" + q.perLead() + ") ARRAY JOIN range(" + fmt.Sprint(n) + ") AS i " +
		"WHERE i = 0 OR (f[i] > 0 AND (f[i + 1] > 0 OR furthest < i))" +
		") GROUP BY " + q.groups() + ", i, kf, kl, open, v"
}

// scanAll reads rows of a cohort, dims tuple strings, nInts int64s and a
// trailing string column into extra; f gets the cohort then the ints.
func scanAll(rows driver.Rows, dims, nInts int, extra *string, f func([]string, []int64)) error {
	defer rows.Close()
	for rows.Next() {
		var cohort uint32
		tuple := make([]string, dims)
		ints := make([]int64, nInts+1)
		dest := []any{&cohort}
		for i := range tuple {
			dest = append(dest, &tuple[i])
		}
		for i := range ints[1:] {
			dest = append(dest, &ints[i+1])
		}
		dest = append(dest, extra)
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		ints[0] = int64(cohort)
		f(tuple, ints)
	}
	return rows.Err()
}

func ident(name string) string {
	parts := strings.Split(name, ".")
	for i, p := range parts {
		parts[i] = "`" + p + "`"
	}
	return strings.Join(parts, ".")
}

func literals(vals []string) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v) + "'"
	}
	return out
}

func quoteAll(vals []string) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = fmt.Sprintf("%q", v)
	}
	return out
}
