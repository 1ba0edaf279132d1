package db_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/dataset"
	"github.com/funnel-report/funnel/internal/testenv"
)

const pgPassword = "pg-Secret-7f3a"

// startPostgres starts a server and loads a leads table into it.
func startPostgres(t *testing.T, rows string) string {
	t.Helper()
	pg := testenv.StartPostgres(t, pgPassword)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pg.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, q := range []string{
		`CREATE TABLE leads (id text, created date, won timestamptz, amount numeric, manager text, note text)`,
		`INSERT INTO leads VALUES ` + rows,
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return pg.DSN()
}

const pgRows = `('a', '2025-01-05', '2025-01-15 12:00+03', 2000, 'Иванова', 'x'),
	('b', '2025-01-06', NULL, NULL, 'Петров', 'y'),
	('c', '2025-01-20', '2025-02-01 00:00+00', 1000.5, 'Иванова', 'z'),
	('d', '2025-02-01', NULL, NULL, 'Петров', 'no number')`

const csvRows = "id;created;won;amount;manager\n" +
	"a;2025-01-05;2025-01-15 09:00:00;2000;Иванова\n" +
	"b;2025-01-06;;;Петров\n" +
	"c;2025-01-20;2025-02-01;1000.5;Иванова\n" +
	"d;2025-02-01;;;Петров\n"

const recordsYAML = `
steps: [{id: mql}, {id: won}]
metrics: [{id: avg_deal, unit: money}]
sources:
  - %s
    kind: records
    records:
      id: id
      steps: {mql: created, won: won}
      segments: [manager]
      value: %s
      value_metric: avg_deal
`

func project(t *testing.T, yaml string, files map[string]string) (string, *config.Config) {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if yaml == "" {
		return dir, nil
	}
	cfg, err := config.Parse("funnel.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return dir, cfg
}

func load(t *testing.T, dir string, cfg *config.Config, useCache bool) (*dataset.Table, error) {
	t.Helper()
	return dataset.LoadWith(os.DirFS(dir), cfg, dataset.Options{Dir: dir, UseCache: useCache})
}

// PostgreSQL rows load into the very table the same rows give as CSV;
// bad values are named by source, row and column; the password shows
// nowhere; the cache answers serve but never build.
func TestPostgresRecords(t *testing.T) {
	dsn := startPostgres(t, pgRows)
	t.Setenv("FUNNEL_TEST_PG_DSN", dsn)
	pgSource := `name: crm
    driver: postgres
    dsn: ${FUNNEL_TEST_PG_DSN}
    query_file: queries/leads.sql`
	files := map[string]string{"queries/leads.sql": "SELECT id, created, won, amount, manager FROM leads ORDER BY id"}
	dir, cfg := project(t, strings.Replace(strings.Replace(recordsYAML, "%s", pgSource, 1), "%s", "amount", 1), files)
	got, err := load(t, dir, cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	csvDir, csvCfg := project(t, strings.Replace(strings.Replace(recordsYAML, "%s", "path: data/leads.csv", 1), "%s", "amount", 1),
		map[string]string{"data/leads.csv": csvRows})
	want, err := load(t, csvDir, csvCfg, false)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := dumpTable(got), dumpTable(want); a != b {
		t.Errorf("postgres\n%s\nCSV\n%s", a, b)
	}
	if len(got.Fetched) != 1 || got.Fetched[0].Rows != 4 || got.Fetched[0].Source != "crm" || got.Fetched[0].Cached {
		t.Errorf("fetched %+v", got.Fetched)
	}

	// serve: the second load comes from .funnel-cache/, even with the
	// server's table emptied; build (no cache) sees the change.
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err = conn.Exec(context.Background(), "DELETE FROM leads WHERE id = 'd'"); err != nil {
		t.Fatal(err)
	}
	cached, err := load(t, dir, cfg, true)
	if err != nil || !cached.Fetched[0].Cached || dumpTable(cached) != dumpTable(got) {
		t.Errorf("cached load: %v %+v", err, cached.Fetched)
	}
	fresh, err := load(t, dir, cfg, false)
	if err != nil || fresh.Fetched[0].Rows != 3 {
		t.Errorf("fresh load: %v %+v", err, fresh.Fetched)
	}
	// A changed query file is another query: serve asks the server.
	if err = os.WriteFile(filepath.Join(dir, "queries/leads.sql"), []byte("SELECT id, created, won, amount, manager FROM leads WHERE id <> 'a'"), 0o644); err != nil {
		t.Fatal(err)
	}
	changed, err := load(t, dir, cfg, true)
	if err != nil || changed.Fetched[0].Cached || changed.Fetched[0].Rows != 2 {
		t.Errorf("changed query: %v %+v", err, changed.Fetched)
	}
	assertNoSecret(t, dir, "")

	// A text column where a number belongs: named by source, row, column.
	_, err = load(t, dir, mustParse(t, strings.Replace(strings.Replace(recordsYAML, "%s", strings.Replace(pgSource, "query_file: queries/leads.sql", "query: SELECT id, created, won, note AS amount, manager FROM leads ORDER BY id", 1), 1), "%s", "amount", 1)), false)
	wantErr(t, err, `source crm row 1: column "amount": not a number`, `(value "x")`)
	// A wrong column: the server's message, named by source.
	_, err = load(t, dir, mustParse(t, strings.Replace(strings.Replace(recordsYAML, "%s", strings.Replace(pgSource, "query_file: queries/leads.sql", "query: SELECT id, created, wonn, amount, manager FROM leads", 1), 1), "%s", "amount", 1)), false)
	wantErr(t, err, `source "crm"`, `column "wonn" does not exist`)
	// A type mismatch in the query itself.
	_, err = load(t, dir, mustParse(t, strings.Replace(strings.Replace(recordsYAML, "%s", strings.Replace(pgSource, "query_file: queries/leads.sql", "query: SELECT id, created, won, amount, manager FROM leads WHERE created = 'soon'", 1), 1), "%s", "amount", 1)), false)
	wantErr(t, err, `source "crm"`, `invalid input syntax for type date`)
	// A wrong password: no echo of it.
	t.Setenv("FUNNEL_TEST_PG_DSN", strings.Replace(dsn, pgPassword, "wrong-"+pgPassword, 1))
	_, err = load(t, dir, cfg, false)
	wantErr(t, err, `source "crm"`, `password authentication failed`)
	if strings.Contains(err.Error(), pgPassword) {
		t.Errorf("the password is in the error: %v", err)
	}
}

func mustParse(t *testing.T, yaml string) *config.Config {
	t.Helper()
	cfg, err := config.Parse("funnel.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func wantErr(t *testing.T, err error, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %q", want)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error\n%v\nlacks %q", err, w)
		}
	}
	for _, p := range []string{pgPassword, chPassword} {
		if strings.Contains(err.Error(), p) {
			t.Errorf("the password is in the error: %v", err)
		}
	}
}

// assertNoSecret fails when any file under dir (cache included) or the
// extra text holds a password.
func assertNoSecret(t *testing.T, dir, extra string) {
	t.Helper()
	for _, p := range []string{pgPassword, chPassword} {
		if strings.Contains(extra, p) {
			t.Errorf("password in output")
		}
	}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, p := range []string{pgPassword, chPassword} {
			if strings.Contains(string(b), p) {
				t.Errorf("%s holds a password", path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
