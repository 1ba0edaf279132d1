// Package testenv starts throwaway database servers for tests. A test
// whose server is not installed skips loudly through skipgroup.DB (with
// FUNNEL_REQUIRE_DB=1, as in CI, it fails instead).
package testenv

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// freePort returns a free TCP port on the loopback interface.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitPort waits until something accepts connections on port, or the
// process exits (its log is then shown).
func waitPort(t testing.TB, port int, exited <-chan error, logFile string) {
	t.Helper()
	deadline := time.After(90 * time.Second)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
		if err == nil {
			c.Close()
			return
		}
		select {
		case err := <-exited:
			t.Fatalf("server exited before listening on %d: %v\n%s", port, err, tail(logFile))
		case <-deadline:
			t.Fatalf("server not listening on %d after 90s\n%s", port, tail(logFile))
		case <-tick.C:
		}
	}
}

func tail(file string) string {
	b, _ := os.ReadFile(file)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// stop ends a server: a polite signal, then SIGKILL if it has not exited
// in 30 seconds.
func stop(cmd *exec.Cmd, exited <-chan error, polite syscall.Signal) {
	if cmd.Process == nil {
		return
	}
	_ = cmd.Process.Signal(polite)
	select {
	case <-exited:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
	}
}

// start runs a server process and returns a channel that gets its exit.
func start(t testing.TB, cmd *exec.Cmd, logFile string) <-chan error {
	t.Helper()
	log, err := os.Create(logFile)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = procAttr()
	if err := cmd.Start(); err != nil {
		log.Close()
		t.Fatalf("start %s: %v", cmd.Path, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait(); log.Close() }()
	// For reap: this test process and its server.
	_ = writeFile(filepath.Join(filepath.Dir(logFile), ownerFile), fmt.Sprintf("%d %d\n", os.Getpid(), cmd.Process.Pid))
	return exited
}

// ownerFile in a server's folder names the test process and the server.
const ownerFile = "owner"

// reap stops the servers of test runs that died without cleaning up (a
// -timeout or a panic skips every t.Cleanup, and ClickHouse outlives its
// parent despite the parent-death signal), so a killed run does not leave
// servers eating the machine: a server whose test process is gone is
// killed, after checking that the process is still that server.
func reap() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "funnel-db-*"))
	for _, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, ownerFile))
		var owner, server int
		if err != nil || !scanPIDs(string(b), &owner, &server) || syscall.Kill(owner, 0) != syscall.ESRCH {
			continue
		}
		if cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", server)); err == nil && strings.Contains(string(cmdline), dir) {
			_ = syscall.Kill(server, syscall.SIGKILL)
		}
		_ = os.RemoveAll(dir)
	}
}

func scanPIDs(s string, owner, server *int) bool {
	n, _ := fmt.Sscan(s, owner, server)
	return n == 2 && *owner > 0 && *server > 0
}

// worldTemp makes a temporary folder an unprivileged server user can
// write (PostgreSQL refuses to run as root).
func worldTemp(t testing.TB) string {
	t.Helper()
	reap()
	dir, err := os.MkdirTemp("", "funnel-db-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	return dir
}

// asUser wraps a command to run as user when this process is root.
func asUser(user, bin string, args ...string) *exec.Cmd {
	if os.Geteuid() != 0 {
		return exec.Command(bin, args...)
	}
	return exec.Command("setpriv", append([]string{"--reuid=" + user, "--regid=" + user, "--init-groups", "--pdeathsig=keep", "--", bin}, args...)...)
}

func run(ctx context.Context, cmd *exec.Cmd) error {
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w\n%s", strings.Join(cmd.Args, " "), err, out)
	}
	_ = ctx
	return nil
}

func lookPath(candidates ...string) (string, error) {
	for _, c := range candidates {
		if filepath.IsAbs(c) {
			if _, err := os.Stat(c); err == nil {
				return c, nil
			}
			continue
		}
		if p, err := exec.LookPath(c); err == nil {
			return p, nil
		}
	}
	return "", errors.New("not found")
}
