package config

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Workbook holds the options of an Excel (.xlsx) source.
type Workbook struct {
	// Sheet is the worksheet to read; "" takes the first one.
	Sheet string `yaml:"sheet"`
	// HeaderRow is the 1-based row holding the column names; rows above it
	// (merged titles, notes) are skipped. 0 means 1.
	HeaderRow int `yaml:"header_row"`
}

// Database holds the options of a source read from a database server.
type Database struct {
	// Driver is "postgres" or "clickhouse"; "" for a file source.
	Driver string `yaml:"driver"`
	// DSN names the server, written only as environment variables
	// (${FUNNEL_PG_DSN}): credentials never sit in the project.
	DSN string `yaml:"dsn"`
	// Query (or QueryFile, a project-relative .sql file) returns the rows
	// of a snapshot, records or events source.
	Query     string `yaml:"query"`
	QueryFile string `yaml:"query_file"`
	// Timeout bounds one query ("90s", "5m"); default DefaultQueryTimeout.
	Timeout string `yaml:"timeout"`
	// Table switches a ClickHouse events source to push-down: funnel
	// writes the SQL and only aggregates cross the network.
	Table string `yaml:"table"`
	// ChainWindowDays adds ClickHouse's windowFunnel count: leads whose
	// chain of steps from step 1 fits in one window of this many days.
	ChainWindowDays float64 `yaml:"chain_window_days"`
}

// DefaultQueryTimeout bounds a database query when the source sets none.
const DefaultQueryTimeout = 5 * time.Minute

// Drivers are the database servers a source may read.
var Drivers = []string{"postgres", "clickhouse"}

// Label names a source in messages: its name, else its path.
func (s Source) Label() string {
	if s.Name != "" {
		return s.Name
	}
	return s.Path
}

// IsDatabase reports whether the source is read from a database server.
func (s Source) IsDatabase() bool { return s.Driver != "" }

// IsWorkbook reports whether the source is an Excel workbook.
func (s Source) IsWorkbook() bool {
	return s.Driver == "" && strings.EqualFold(path.Ext(s.Path), ".xlsx")
}

// QueryTimeout is the configured timeout, or the default.
func (s Source) QueryTimeout() time.Duration {
	if d, err := time.ParseDuration(s.Timeout); err == nil && d > 0 {
		return d
	}
	return DefaultQueryTimeout
}

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// ExpandDSN fills the environment variables of the DSN. The result holds
// credentials: never print it (RedactDSN does that safely).
func (s Source) ExpandDSN() (string, error) {
	var missing []string
	out := envRef.ReplaceAllStringFunc(s.DSN, func(m string) string {
		name := envRef.FindStringSubmatch(m)[1]
		v, ok := os.LookupEnv(name)
		if !ok || v == "" {
			missing = append(missing, name)
		}
		return v
	})
	if len(missing) > 0 {
		return "", fmt.Errorf("dsn: environment variable %s is not set", strings.Join(missing, ", "))
	}
	return out, nil
}

// RedactDSN drops the password from a DSN, URL (postgres://u:p@h/db,
// clickhouse://…?password=p) or key=value form (password=p).
func RedactDSN(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.Scheme != "" && u.Host != "" {
		if u.User != nil {
			u.User = url.User(u.User.Username())
		}
		q := u.Query()
		for k := range q {
			if isSecretKey(k) {
				q.Del(k)
			}
		}
		u.RawQuery = q.Encode()
		return u.String()
	}
	var kept []string
	for _, f := range strings.Fields(dsn) {
		if k, _, ok := strings.Cut(f, "="); ok && isSecretKey(k) {
			continue
		}
		kept = append(kept, f)
	}
	return strings.Join(kept, " ")
}

func isSecretKey(k string) bool {
	k = strings.ToLower(k)
	return k == "password" || k == "pass" || k == "pwd" || k == "sslpassword" || k == "secret"
}

// checkLocation checks where a source's rows come from: a file path, or a
// database driver with a DSN from the environment and a query or table.
func (c *Config) checkLocation(s *Source, i int) error {
	if s.Driver == "" {
		return checkFileLocation(s, i)
	}
	if !slices.Contains(Drivers, s.Driver) {
		return fmt.Errorf("source %d: driver %q: want %s", i+1, s.Driver, strings.Join(Drivers, " or "))
	}
	if s.Name == "" {
		s.Name = fmt.Sprintf("%s #%d", s.Driver, i+1)
	}
	if err := checkDSN(s); err != nil {
		return fmt.Errorf("source %q: %w", s.Name, err)
	}
	if err := checkQuery(s); err != nil {
		return fmt.Errorf("source %q: %w", s.Name, err)
	}
	return nil
}

// checkFileLocation checks a file source: a path, and none of a
// database's keys.
func checkFileLocation(s *Source, i int) error {
	if s.Path == "" {
		return fmt.Errorf("source %d has no path", i+1)
	}
	for k, v := range map[string]string{"dsn": s.DSN, "query": s.Query, "query_file": s.QueryFile, "table": s.Table, "timeout": s.Timeout} {
		if v != "" {
			return fmt.Errorf("source %q: %s needs a database driver (driver: postgres or clickhouse)", s.Label(), k)
		}
	}
	if (s.Sheet != "" || s.HeaderRow != 0) && !s.IsWorkbook() {
		return fmt.Errorf("source %q: sheet and header_row are for .xlsx workbooks", s.Label())
	}
	if s.HeaderRow < 0 {
		return fmt.Errorf("source %q: header_row %d: want the 1-based row of the column names", s.Label(), s.HeaderRow)
	}
	return nil
}

// checkDSN checks a database source reads no file and names its server
// through the environment.
func checkDSN(s *Source) error {
	if s.Path != "" || s.Sheet != "" || s.Encoding != "" || s.Delimiter != "" {
		return fmt.Errorf("a %s source reads no file: drop path, sheet, encoding and delimiter", s.Driver)
	}
	if s.DSN == "" {
		return errors.New("needs dsn: ${ENV_VAR} naming the server")
	}
	if literal := envRef.ReplaceAllString(s.DSN, ""); literal != "" && RedactDSN(literal) != literal {
		// Never echo the DSN: it holds the secret.
		return errors.New("dsn holds a password: put the whole DSN (or the password) in an environment variable, dsn: ${FUNNEL_DSN}")
	}
	return nil
}

// checkQuery checks a database source's one query, query file or table,
// its timeout and its chain window.
func checkQuery(s *Source) error {
	n := 0
	for _, v := range []string{s.Query, s.QueryFile, s.Table} {
		if v != "" {
			n++
		}
	}
	if n != 1 {
		return fmt.Errorf("give one of %s, %s or (ClickHouse events) %s", "query:", "query_file:", "table:")
	}
	if s.Table != "" && s.Driver != "clickhouse" {
		return fmt.Errorf("table: (push-down) is for driver clickhouse; use query: for %s", s.Driver)
	}
	if s.QueryFile != "" && (path.IsAbs(s.QueryFile) || strings.HasPrefix(path.Clean(s.QueryFile), "..")) {
		return fmt.Errorf("query_file %q: want a path inside the project", s.QueryFile)
	}
	if s.Timeout != "" {
		if d, err := time.ParseDuration(s.Timeout); err != nil || d <= 0 {
			return fmt.Errorf("timeout %q: want a duration such as 90s or 5m", s.Timeout)
		}
	}
	if s.ChainWindowDays != 0 && (s.Table == "" || !(s.ChainWindowDays > 0)) {
		return errors.New("chain_window_days needs a ClickHouse events table (table:) and a positive number of days")
	}
	return nil
}

// checkPushDown checks what ClickHouse push-down can compute in the
// server: an event log counted by cohort, steps named by their ids.
func (c *Config) checkPushDown(s *Source) error {
	if s.Table == "" {
		return nil
	}
	if s.Kind != "events" {
		return errors.New("table: (push-down) reads an event log: set kind: events, or use query: for rows")
	}
	r := s.Records
	if r.PeriodBy != "cohort" {
		return errors.New("push-down counts leads by cohort: period_by event needs query: (rows mode)")
	}
	if len(r.Status) > 0 || r.Value != "" || r.Join != nil {
		return errors.New("push-down maps step values to step ids one to one: status:, value: and join: need query: (rows mode)")
	}
	for _, col := range append([]string{s.Table, r.ID, r.StepColumn, r.TimeColumn}, r.Segments...) {
		if col != "" && !sqlName.MatchString(col) {
			return fmt.Errorf("%q is not a plain ClickHouse name (letters, digits, _ and one dot for database.table)", col)
		}
	}
	return nil
}

var sqlName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$`)

// Secrets returns the passwords a DSN holds, so that messages can be
// scrubbed of them (drivers may quote what they were given).
func Secrets(dsn string) []string {
	var out []string
	if u, err := url.Parse(dsn); err == nil && u.Scheme != "" {
		if p, ok := u.User.Password(); ok && p != "" {
			out = append(out, p, url.QueryEscape(p), url.PathEscape(p))
		}
		for k, vs := range u.Query() {
			if isSecretKey(k) {
				out = append(out, vs...)
			}
		}
	}
	for _, f := range strings.Fields(dsn) {
		if k, v, ok := strings.Cut(f, "="); ok && isSecretKey(k) && v != "" {
			out = append(out, strings.Trim(v, `'"`))
		}
	}
	return out
}
