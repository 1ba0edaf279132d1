package main

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// A database source whose server is down fails the build with exit 1 and
// a message naming the source; public/ keeps the last good site; the
// password is nowhere in the output, the messages or the project. (The
// tests with real servers are in internal/sources/db.)
func TestDatabaseDownKeepsSiteAndSecret(t *testing.T) {
	const secret = "s3cret-Pa55word"
	good := "steps: [{id: visit}, {id: deal}]\n"
	dir := project(t, map[string]string{
		"funnel.yaml":    good,
		"data/leads.csv": "period,visit,deal\n2025-01,100,10\n",
	})
	if code, _, errOut := runCLI(t, "build", "--source", dir); code != exitOK {
		t.Fatalf("good build: %d %s", code, errOut)
	}
	before := readTree(t, filepath.Join(dir, "public"))
	// A port nothing listens on: the server is down.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	for _, driver := range []string{"postgres", "clickhouse"} {
		t.Setenv("FUNNEL_TEST_DSN", driver+"://funnel:"+secret+"@127.0.0.1:"+itoa(port)+"/db?connect_timeout=5&dial_timeout=5s")
		cfg := good + "sources:\n  - name: crm\n    driver: " + driver + "\n    dsn: ${FUNNEL_TEST_DSN}\n    timeout: 20s\n    query: SELECT 1\n"
		if err := os.WriteFile(filepath.Join(dir, "funnel.yaml"), []byte(cfg), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, cmd := range []string{"build", "check"} {
			code, out, errOut := runCLI(t, cmd, "--source", dir)
			if code != exitError || !strings.Contains(errOut, `source "crm"`) {
				t.Errorf("%s %s: exit %d, stderr %q", driver, cmd, code, errOut)
			}
			if strings.Contains(out+errOut, secret) {
				t.Errorf("%s %s: the password is in the output", driver, cmd)
			}
		}
		after := readTree(t, filepath.Join(dir, "public"))
		if len(after) != len(before) {
			t.Fatalf("public/ changed: %d files, was %d", len(after), len(before))
		}
		for name, data := range before {
			if string(after[name]) != string(data) {
				t.Errorf("public/%s changed", name)
			}
		}
	}
	// A password written into the config is refused, without echoing it.
	bad := good + "sources:\n  - name: crm\n    driver: postgres\n    dsn: postgres://u:" + secret + "@localhost/db\n    query: SELECT 1\n"
	if err := os.WriteFile(filepath.Join(dir, "funnel.yaml"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "build", "--source", dir)
	if code != exitError || !strings.Contains(errOut, "environment variable") || strings.Contains(out+errOut, secret) {
		t.Errorf("password in config: exit %d, %q", code, errOut)
	}
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && p != filepath.Join(dir, "funnel.yaml") {
			if b, _ := os.ReadFile(p); strings.Contains(string(b), secret) {
				t.Errorf("%s holds the password", p)
			}
		}
		return nil
	})
}

func itoa(n int) string { return strconv.Itoa(n) }
