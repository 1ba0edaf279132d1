package site_test

import (
	"bufio"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/gen"
	"github.com/funnel-report/funnel/internal/site"
)

// The kill tests run this test binary again as a child that builds a
// generated project into one output folder over and over, alternating
// between two versions of the site (as of the last period and the one
// before). The parent kills the child with SIGKILL at chosen points.
const (
	childEnv   = "FUNNEL_SITE_KILL_CHILD" // project folder
	outEnv     = "FUNNEL_SITE_KILL_OUT"
	stepEnv    = "FUNNEL_SITE_KILL_STEP" // "1": wait for a byte on stdin at each step
	atomicEnv  = "FUNNEL_SITE_KILL_ATOMIC"
	periodsEnv = "FUNNEL_SITE_KILL_PERIODS"
)

// TestKillChild is the child; it does nothing in a normal test run.
func TestKillChild(t *testing.T) {
	src := os.Getenv(childEnv)
	if src == "" {
		t.Skip("only run as the child of the kill tests")
	}
	in := bufio.NewReader(os.Stdin)
	site.SetAtomicSwap(os.Getenv(atomicEnv) == "1")
	site.SetHook(func(step string) {
		fmt.Println(step)
		if os.Getenv(stepEnv) == "1" {
			if _, err := in.ReadByte(); err != nil {
				os.Exit(0) // the parent went away
			}
		}
	})
	periods := strings.Split(os.Getenv(periodsEnv), ",")
	for i := 0; ; i++ {
		if _, err := build.Run(build.Options{Source: src, Out: os.Getenv(outEnv), Period: periods[i%2]}); err != nil {
			fmt.Println("error:", err)
			os.Exit(3)
		}
	}
}

// killProject generates a small project and builds its two versions,
// returning the project, the two periods and the sites' files.
func killProject(t *testing.T) (string, []string, []map[string]string) {
	t.Helper()
	src := t.TempDir()
	spec := gen.Spec{Periods: 4, Dims: 1, Values: 3, Steps: 3, Seed: 7}
	if _, err := gen.Write(src, spec); err != nil {
		t.Fatal(err)
	}
	labels := spec.PeriodLabels()
	periods := labels[len(labels)-2:]
	var sites []map[string]string
	for _, p := range periods {
		out := filepath.Join(t.TempDir(), "public")
		if _, err := build.Run(build.Options{Source: src, Out: out, Period: p}); err != nil {
			t.Fatal(err)
		}
		sites = append(sites, tree(t, out))
	}
	if maps.Equal(sites[0], sites[1]) {
		t.Fatal("the two versions of the site are the same")
	}
	return src, periods, sites
}

// tree reads a folder's files (path → content), leaving out .git.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() && rel == ".git" {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			files[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// child starts the child process.
func child(t *testing.T, src, out string, periods []string, atomic, stepwise bool) (*exec.Cmd, *bufio.Scanner, func(string)) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$")
	flag := func(b bool) string { return map[bool]string{true: "1", false: "0"}[b] }
	cmd.Env = append(os.Environ(), childEnv+"="+src, outEnv+"="+out, periodsEnv+"="+strings.Join(periods, ","),
		atomicEnv+"="+flag(atomic), stepEnv+"="+flag(stepwise))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	next := func(string) {
		if _, err := stdin.Write([]byte{'\n'}); err != nil {
			t.Fatal(err)
		}
	}
	return cmd, bufio.NewScanner(stdout), next
}

func kill(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	_ = cmd.Wait()
}

// checkSite asserts that out holds one whole version of the site.
func checkSite(t *testing.T, out string, sites []map[string]string, when string) {
	t.Helper()
	if _, err := os.Stat(out); err != nil {
		t.Fatalf("%s: no site: %v", when, err)
	}
	got := tree(t, out)
	if !maps.Equal(got, sites[0]) && !maps.Equal(got, sites[1]) {
		t.Fatalf("%s: the output is neither version of the site (%d files)", when, len(got))
	}
}

func checkGit(t *testing.T, out, when string) {
	t.Helper()
	if b, err := os.ReadFile(filepath.Join(out, ".git", "HEAD")); err != nil || string(b) != "ref: refs/heads/gh-pages\n" {
		t.Fatalf("%s: the deploy worktree's .git is gone or changed: %q, %v", when, b, err)
	}
}

// checkNoLeftovers asserts that out's parent holds out alone.
func checkNoLeftovers(t *testing.T, out string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(out))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{filepath.Base(out)}) {
		t.Fatalf("leftovers beside the output: %v", names)
	}
}

// TestKillAtEveryStep kills a build at each step of Write in turn, on
// both swap paths: the atomic exchange (Linux, macOS) and the rename pair
// with recovery (Windows). After each kill the output holds the old or
// the new site whole (on the rename path: after the recovery every later
// build starts with); the deploy .git survives; and a finished build
// leaves no leftovers.
func TestKillAtEveryStep(t *testing.T) {
	if testing.Short() {
		t.Skip("starts dozens of processes")
	}
	src, periods, sites := killProject(t)
	for _, atomic := range []bool{true, false} {
		t.Run("atomic="+strconv.FormatBool(atomic), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "public")
			if _, err := build.Run(build.Options{Source: src, Out: out, Period: periods[0]}); err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(filepath.Join(out, ".git"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(out, ".git", "HEAD"), []byte("ref: refs/heads/gh-pages\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			// Two whole writes have 8 (atomic) or 10 steps; kill at each.
			steps := map[bool]int{true: 8, false: 10}[atomic]
			seen := map[string]bool{}
			for k := 1; k <= steps; k++ {
				cmd, lines, next := child(t, src, out, periods, atomic, true)
				step := ""
				for i := 1; i <= k; i++ {
					if !lines.Scan() {
						t.Fatalf("kill %d: the child stopped early", k)
					}
					step = lines.Text()
					if strings.HasPrefix(step, "error:") {
						t.Fatalf("kill %d: child: %s", k, step)
					}
					if i < k {
						next(step)
					}
				}
				kill(t, cmd)
				seen[step] = true
				when := fmt.Sprintf("killed at step %d (%s)", k, step)
				if atomic || step != "old-moved" {
					checkSite(t, out, sites, when)
				}
				if err := site.Recover(out); err != nil {
					t.Fatalf("%s: recover: %v", when, err)
				}
				checkSite(t, out, sites, when+", recovered")
				checkGit(t, out, when+", recovered")
				checkNoLeftovers(t, filepath.Join(out))
			}
			want := []string{"written", "kept", "done"}
			if atomic {
				want = append(want, "swapped")
			} else {
				want = append(want, "old-moved", "new-moved")
			}
			for _, s := range want {
				if !seen[s] {
					t.Errorf("never killed at step %q (saw %v)", s, slices.Sorted(maps.Keys(seen)))
				}
			}
		})
	}
}

// TestKillLoop kills a freely running build loop at varied moments (after
// a varying number of its steps, so the kill lands wherever the child has
// got to) and checks after every kill that the site is whole, then that
// the next build leaves no leftovers.
func TestKillLoop(t *testing.T) {
	if testing.Short() {
		t.Skip("starts dozens of processes")
	}
	src, periods, sites := killProject(t)
	out := filepath.Join(t.TempDir(), "public")
	for k := 1; k <= 24; k++ {
		cmd, lines, _ := child(t, src, out, periods, true, false)
		for i := 0; i < k%9+1 && lines.Scan(); i++ {
			if strings.HasPrefix(lines.Text(), "error:") {
				t.Fatalf("child: %s", lines.Text())
			}
		}
		kill(t, cmd)
		if _, err := os.Stat(out); err == nil || k > 1 {
			checkSite(t, out, sites, fmt.Sprintf("kill %d", k))
		}
	}
	if _, err := build.Run(build.Options{Source: src, Out: out, Period: periods[1]}); err != nil {
		t.Fatal(err)
	}
	checkSite(t, out, sites, "after the next build")
	checkNoLeftovers(t, out)
}
