package db_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	ch "github.com/ClickHouse/clickhouse-go/v2"

	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/dataset"
	"github.com/funnel-report/funnel/internal/testenv"
)

// chExec runs statements as the test's user.
func chExec(t testing.TB, dsn string, stmts ...string) {
	t.Helper()
	opts, err := ch.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	opts.Protocol = ch.Native
	// Generating 100M events (FUNNEL_BENCH_BIG) sends no packet for longer
	// than the driver's default 5 minutes on a loaded machine.
	opts.ReadTimeout = time.Hour
	conn, err := ch.Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, s := range stmts {
		if err := conn.Exec(context.Background(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// genEvents fills table with n events of n/10 leads, generated in the
// server: each lead goes up to a random depth of five steps, with
// repeated steps, some steps skipped, events out of order by up to three
// days (so some leads reach a step before the previous one), seconds in
// the times, and segment values that vary between a lead's events or are
// missing (so the value of the earliest event decides).
func genEvents(table string, n int) string {
	leads := n / 10
	// intHash64 of a number and a salt: cheap, deterministic randomness.
	h := func(x string, salt int) string { return fmt.Sprintf("intHash64(%s * 16 + %d)", x, salt) }
	return fmt.Sprintf(`INSERT INTO %[1]s SELECT
	toUInt32(lead) AS id,
	['visit', 'signup', 'trial', 'paid', 'renew'][s + 1] AS step,
	toDateTime(1735689600 + %[4]s %% (300 * 86400) + s * 172800 + %[5]s %% 259200, 'UTC') AS ts,
	if(%[6]s %% 10 = 0, '', if(%[7]s %% 5 = 0, 'other', ['web', 'mail', 'ads', 'partner'][%[8]s %% 4 + 1])) AS channel,
	['msk', 'spb', 'ekb'][%[9]s %% 3 + 1] AS region
FROM (
	SELECT number, number %% %[2]d AS lead, intDiv(number, %[2]d) AS k, %[10]s %% 5 AS depth,
		if(least(k, depth) = 1 AND %[11]s %% 10 = 0, 2, least(k, depth)) AS s
	FROM numbers(%[3]d)
)`, table, leads, n, h("lead", 1), h("number", 2), h("number", 4), h("number", 5), h("lead", 3), h("number", 6), h("lead", 0), h("lead", 7))
}

const chYAML = `title: Events
language: en
steps: [{id: visit}, {id: signup}, {id: trial}, {id: paid}, {id: renew}]
segments: [channel, region]
sources:
  - %s
    kind: events
    records: {id: id, step_column: step, time_column: ts, granularity: month}
`

// chSource allows a long timeout: 2 cores shared by many test packages.
const chSource = `name: clicks
    driver: clickhouse
    dsn: ${FUNNEL_TEST_CH_DSN}
    timeout: 30m
    table: events`

// The acceptance test of push-down: 10 million events generated in the
// server; the site built through push-down; the same events exported to
// CSV and built in process; the two models identical.
func TestClickHousePushDownMatchesInProcess(t *testing.T) {
	srv := testenv.StartClickHouse(t, chPassword)
	t.Setenv("FUNNEL_TEST_CH_DSN", srv.DSN())
	n := 10_000_000
	if v, err := strconv.Atoi(os.Getenv("FUNNEL_TEST_CH_EVENTS")); err == nil && v > 0 {
		n = v // a smaller run while developing; the acceptance bar is 10M
	}
	start := time.Now()
	chExec(t, srv.DSN(),
		"CREATE TABLE events (id UInt32, step String, ts DateTime('UTC'), channel String, region String) ENGINE = Log",
		genEvents("events", n),
		// The in-process side reads the same events from a CSV the server
		// writes into its own folder.
		"CREATE TABLE export (id UInt32, step String, ts DateTime('UTC'), channel String, region String) ENGINE = File(CSVWithNames)",
		"INSERT INTO export SELECT * FROM events",
	)
	t.Logf("generated and exported %d events in %s", n, time.Since(start))
	pushDir, _ := project(t, "", map[string]string{"funnel.yaml": fmt.Sprintf(chYAML, chSource)})
	var logs bytes.Buffer
	pushed, err := build.Run(build.Options{Source: pushDir})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&logs, "%+v\n", pushed.Table.Fetched)
	st := pushed.Table.Fetched[0]
	if st.Events != int64(n) || st.Rows == 0 || (n >= 10_000_000 && st.Rows > int64(n/20)) {
		t.Errorf("push-down stat %+v: want %d events and at most one aggregate row per 20 events", st, n)
	}
	t.Logf("push-down: %d aggregate rows for %d events in %s", st.Rows, st.Events, st.Took)

	csvDir, _ := project(t, "", map[string]string{"funnel.yaml": fmt.Sprintf(chYAML, "path: data/events.csv")})
	if err = os.MkdirAll(filepath.Join(csvDir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err = os.Rename(filepath.Join(srv.Dir, "data", "data", "default", "export", "data.CSVWithNames"), filepath.Join(csvDir, "data", "events.csv")); err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	local, err := build.Load(build.Options{Source: csvDir})
	t.Logf("in process: %d events in %s", local.Table.Rows, time.Since(start))
	if err != nil {
		t.Fatal(err)
	}
	if local.Table.Rows != n || local.Table.Leads != pushed.Table.Leads || pushed.Table.Rows != n {
		t.Errorf("rows %d/%d, leads %d/%d", local.Table.Rows, pushed.Table.Rows, local.Table.Leads, pushed.Table.Leads)
	}
	t.Logf("latest %s / %s", pushed.Table.Latest, local.Table.Latest)
	if a, b := dumpTable(pushed.Table), dumpTable(local.Table); a != b {
		t.Errorf("tables differ:\n%s", firstDiff(a, b))
	}
	if len(pushed.Table.Warnings.Errs) == 0 {
		t.Error("no misdated-step warning from push-down, though the data has some")
	}
	pf, err := pushed.Exports()
	if err != nil {
		t.Fatal(err)
	}
	lf, err := local.Exports()
	if err != nil {
		t.Fatal(err)
	}
	if len(pf) != len(lf) {
		t.Fatalf("%d export files, in process %d", len(pf), len(lf))
	}
	for i := range pf {
		if pf[i].Path != lf[i].Path || !bytes.Equal(pf[i].Data, lf[i].Data) {
			t.Errorf("export %s differs:\n%s", pf[i].Path, firstDiff(string(pf[i].Data), string(lf[i].Data)))
		}
	}
	assertNoSecret(t, pushDir, logs.String())
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d\n push-down: %.300s\n in process: %.300s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d lines", len(al), len(bl))
}

// Push-down and rows mode fail clearly, naming the source, without the
// password: a wrong column, a step value that is no step, a type
// mismatch, a server that is down. chain_window_days adds windowFunnel's
// count, which never exceeds the funnel's own.
func TestClickHouseErrorsAndChain(t *testing.T) {
	srv := testenv.StartClickHouse(t, chPassword)
	t.Setenv("FUNNEL_TEST_CH_DSN", srv.DSN())
	chExec(t, srv.DSN(),
		"CREATE TABLE events (id UInt32, step String, ts DateTime('UTC'), channel String, region String) ENGINE = Log",
		genEvents("events", 100_000),
		"CREATE TABLE bad (id UInt32, step String, ts DateTime('UTC'), channel String, region String) ENGINE = Log",
		"INSERT INTO bad SELECT toUInt32(1), if(number = 0, 'visit', 'checkout'), toDateTime(1735725600 + number * 86400, 'UTC'), 'web', 'msk' FROM numbers(2)",
	)
	var opts build.Options
	run := func(source string) (*build.Result, error) {
		dir, _ := project(t, "", map[string]string{"funnel.yaml": fmt.Sprintf(chYAML, source)})
		opts = build.Options{Source: dir}
		return build.Load(opts)
	}
	r, err := run(chSource + "\n    chain_window_days: 7")
	if err != nil {
		t.Fatal(err)
	}
	st := r.Table.Fetched[0]
	if len(st.Chain) != 5 || st.ChainWindow != 7 {
		t.Fatalf("chain %+v", st)
	}
	// The same count reaches the model (and so the export) and the data page.
	if cs := r.Model.Provenance.Chains; len(cs) != 1 || cs[0].Source != "clicks" || cs[0].WindowDays != 7 ||
		fmt.Sprint(cs[0].Leads) != fmt.Sprint(st.Chain) || fmt.Sprint(cs[0].Steps) != fmt.Sprint(st.ChainSteps) {
		t.Errorf("model chains %+v, source stat %+v", cs, st)
	}
	if err = build.Render(opts, r); err != nil {
		t.Fatal(err)
	}
	var page string
	for _, f := range r.Files {
		if f.Path == "data/index.html" {
			page = string(f.Data)
		}
	}
	for _, want := range []string{"windowFunnel", "clicks, window 7 days", fmt.Sprintf("%d (", st.Chain[1])} {
		if !strings.Contains(strings.ReplaceAll(page, ",", ""), strings.ReplaceAll(want, ",", "")) {
			t.Errorf("data page lacks %q", want)
		}
	}
	r.Close()
	for i, n := range st.Chain {
		var total float64
		for _, p := range r.Table.Periods {
			v, _ := r.Table.Value(p, dataset.All, st.ChainSteps[i])
			total += v
		}
		if float64(n) > total || (i > 0 && n > st.Chain[i-1]) || (i == 0 && float64(n) != total) {
			t.Errorf("chain %v: step %d has %d, the funnel %g", st.Chain, i, n, total)
		}
	}

	for _, c := range []struct{ source, want string }{
		{strings.Replace(chSource, "table: events", "table: bad", 1), `column "step": 1 events have a step that is not a configured step (value "checkout")`},
		{strings.Replace(chSource, "table: events", "table: nosuch", 1), "nosuch"},
		{strings.Replace(chSource, "table: events", "query: SELECT id, stepp AS step, ts, channel, region FROM events", 1), "stepp"},
		{strings.Replace(chSource, "table: events", "query: SELECT id, step, ts, channel, region FROM events WHERE ts = 'soon'", 1), "Cannot parse datetime"},
	} {
		_, err = run(c.source)
		wantErr(t, err, `source "clicks"`, c.want)
	}
	// A wrong password and a server that is down.
	t.Setenv("FUNNEL_TEST_CH_DSN", strings.Replace(srv.DSN(), chPassword, chPassword+"x", 1))
	_, err = run(chSource)
	wantErr(t, err, `source "clicks"`)
	t.Setenv("FUNNEL_TEST_CH_DSN", strings.Replace(srv.DSN(), fmt.Sprint(srv.Port), "1", 1))
	_, err = run(chSource)
	wantErr(t, err, `source "clicks"`)
}
