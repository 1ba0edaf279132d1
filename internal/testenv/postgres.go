package testenv

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/funnel-report/funnel/internal/skipgroup"
)

// Postgres is a running throwaway PostgreSQL server.
type Postgres struct {
	Port     int
	Password string
	Dir      string
}

// DSN is the URL of the server's postgres database as user postgres.
func (p *Postgres) DSN() string {
	return fmt.Sprintf("postgres://postgres:%s@127.0.0.1:%d/postgres?sslmode=disable", p.Password, p.Port)
}

// StartPostgres initialises a data folder in a temporary directory and
// starts PostgreSQL on a free loopback port, as the postgres (or nobody)
// user when run as root; t.Cleanup stops it.
func StartPostgres(t testing.TB, password string) *Postgres {
	t.Helper()
	bin, err := lookPath("/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin")
	if err != nil {
		if p, lerr := exec.LookPath("initdb"); lerr == nil {
			bin = filepath.Dir(p)
		} else {
			skipgroup.DB.Skip(t, "PostgreSQL (initdb) is not installed")
		}
	}
	user := "postgres"
	if _, err := exec.Command("id", "-u", user).Output(); err != nil {
		user = "nobody"
	}
	dir := worldTemp(t)
	data := filepath.Join(dir, "data")
	pwfile := filepath.Join(dir, "pw")
	if err := writeFile(pwfile, password); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), asUser(user, filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres",
		"--auth=scram-sha-256", "--pwfile="+pwfile, "-E", "UTF8", "--no-locale", "--no-sync")); err != nil {
		t.Fatal(err)
	}
	p := &Postgres{Port: freePort(t), Password: password, Dir: dir}
	cmd := asUser(user, filepath.Join(bin, "postgres"), "-D", data, "-p", fmt.Sprint(p.Port), "-k", dir,
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "synchronous_commit=off")
	logFile := filepath.Join(dir, "postgres.log")
	exited := start(t, cmd, logFile)
	t.Cleanup(func() { stop(cmd, exited, syscall.SIGINT) }) // SIGINT: fast shutdown
	waitPort(t, p.Port, exited, logFile)
	// Listening is not ready: the server refuses logins while it starts.
	for i := 0; ; i++ {
		err := exec.Command(filepath.Join(bin, "pg_isready"), "-q", "-h", "127.0.0.1", "-p", fmt.Sprint(p.Port)).Run()
		if err == nil {
			break
		}
		if i == 900 {
			t.Fatalf("PostgreSQL not ready after 90s\n%s", tail(logFile))
		}
		select {
		case err := <-exited:
			t.Fatalf("PostgreSQL exited: %v\n%s", err, tail(logFile))
		case <-time.After(100 * time.Millisecond):
		}
	}
	return p
}
