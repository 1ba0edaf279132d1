package main

import (
	"debug/pe"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/funnel-report/funnel/internal/testproject"
)

var (
	binOnce sync.Once
	binDir  string
	binErr  error
)

// funnelOnPath builds this checkout's funnel once per test run into a
// folder to put first on PATH, as the recipes' install step would.
func funnelOnPath(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "funnel-bin")
		if binErr == nil {
			var out []byte
			out, binErr = exec.Command("go", "build", "-o", filepath.Join(binDir, "funnel"), ".").CombinedOutput()
			if binErr != nil {
				binErr = errors.New(binErr.Error() + "\n" + string(out))
			}
		}
	})
	if binErr != nil {
		t.Fatalf("go build: %v", binErr)
	}
	return binDir
}

// recipes returns the YAML blocks of docs/ci.md: the GitHub workflow, then
// the GitLab job.
func recipes(t *testing.T) (github, gitlab string) {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join(testproject.Root(t), "docs", "ci.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(doc), -1)
	if len(blocks) != 2 {
		t.Fatalf("docs/ci.md has %d yaml blocks, want the GitHub workflow and the GitLab job", len(blocks))
	}
	return blocks[0][1], blocks[1][1]
}

// shellEnv is the environment a recipe's steps run in: the example project,
// funnel on PATH, and the day after which 2025-Q4 has just closed.
func shellEnv(t *testing.T, extra ...string) []string {
	env := append(os.Environ(), "PATH="+funnelOnPath(t)+string(os.PathListSeparator)+os.Getenv("PATH"), "TODAY=2026-01-15", "PERIOD=")
	return append(env, extra...)
}

func isInstall(cmd string) bool {
	return strings.HasPrefix(strings.TrimSpace(cmd), "go install github.com/funnel-report/funnel/cmd/funnel@")
}

// runShell runs script as the runners do (bash, stop at the first failing
// command) and returns its exit code and output.
func runShell(t *testing.T, dir string, env []string, script string) (int, string) {
	t.Helper()
	cmd := exec.Command("bash", "-e", "-o", "pipefail", "-c", script)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), string(out)
	}
	if err != nil {
		t.Fatalf("bash: %v", err)
	}
	return 0, string(out)
}

func TestCIRecipeGitHub(t *testing.T) {
	workflow, _ := recipes(t)
	var wf struct {
		Jobs map[string]struct {
			Steps []struct {
				Name string
				Uses string
				Run  string
				Env  map[string]string
			}
		}
	}
	if err := yaml.Unmarshal([]byte(workflow), &wf); err != nil {
		t.Fatalf("the workflow is not YAML: %v", err)
	}
	job, ok := wf.Jobs["report"]
	if !ok || len(job.Steps) == 0 {
		t.Fatal("the workflow has no report job with steps")
	}
	dir := testproject.CopyExample(t)
	ghEnv := filepath.Join(t.TempDir(), "github_env")
	if err := os.WriteFile(ghEnv, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	installed, gated, uploaded := false, false, false
	for _, st := range job.Steps {
		if st.Run == "" {
			uploaded = uploaded || strings.HasPrefix(st.Uses, "actions/upload-pages-artifact") && gated
			continue
		}
		if isInstall(st.Run) {
			installed = true
			continue
		}
		// Variables of earlier steps ($GITHUB_ENV), then the step's own; a
		// ${{ … }} expression is empty, as inputs.period is on a schedule.
		env := shellEnv(t, "GITHUB_ENV="+ghEnv)
		saved, _ := os.ReadFile(ghEnv)
		env = append(env, strings.Fields(string(saved))...)
		for k, v := range st.Env {
			if strings.Contains(v, "${{") {
				v = ""
			}
			env = append(env, k+"="+v)
		}
		code, out := runShell(t, dir, env, st.Run)
		t.Logf("step %q: exit %d\n%s", st.Name, code, out)
		if strings.Contains(st.Run, "funnel check") {
			gated = true
			if code != exitCheck {
				t.Fatalf("the gate exited %d, want 3 (bottleneck>20 fires in 2025-Q4)\n%s", code, out)
			}
			anns := parseWorkflow(t, out)
			if len(anns) == 0 || anns[0].props["title"] != "funnel check --fail-on bottleneck>20" {
				t.Errorf("the gate printed no annotation for bottleneck>20: %+v", anns)
			}
			continue
		}
		if code != 0 {
			t.Fatalf("step %q failed (exit %d):\n%s", st.Name, code, out)
		}
	}
	if saved, _ := os.ReadFile(ghEnv); !strings.Contains(string(saved), "PERIOD=2025-Q4\n") {
		t.Errorf("the period step saved %q, want PERIOD=2025-Q4", saved)
	}
	if !installed || !gated || !uploaded {
		t.Errorf("install %v, gate %v, upload after the gate %v", installed, gated, uploaded)
	}
	home, err := os.ReadFile(filepath.Join(dir, "public", "index.html"))
	if err != nil || !strings.Contains(string(home), "2025") {
		t.Errorf("public/index.html: %v", err)
	}
}

func TestCIRecipeGitLab(t *testing.T) {
	_, job := recipes(t)
	var ci map[string]struct {
		Script    []string
		Artifacts struct {
			Paths   []string
			Reports struct{ JUnit string }
		}
	}
	if err := yaml.Unmarshal([]byte(job), &ci); err != nil {
		t.Fatalf("the GitLab job is not YAML: %v", err)
	}
	pages, ok := ci["pages"]
	if !ok || len(pages.Script) == 0 || pages.Artifacts.Reports.JUnit == "" || len(pages.Artifacts.Paths) != 1 || pages.Artifacts.Paths[0] != "public" {
		t.Fatalf("want a pages job publishing public with a JUnit report: %+v", pages)
	}
	var script []string
	for _, line := range pages.Script {
		if !isInstall(line) {
			script = append(script, line)
		}
	}
	if len(script) != len(pages.Script)-1 {
		t.Errorf("want one install line in %q", pages.Script)
	}
	// GitLab runs the script's lines in one shell, stopping at a failure.
	dir := testproject.CopyExample(t)
	code, out := runShell(t, dir, shellEnv(t), strings.Join(script, "\n"))
	if code != exitCheck {
		t.Fatalf("the job exited %d, want 3 from the gate:\n%s", code, out)
	}
	report, err := os.ReadFile(filepath.Join(dir, pages.Artifacts.Reports.JUnit))
	if err != nil || !strings.Contains(string(report), `<testsuite name="funnel check . 2025-Q4"`) || !strings.Contains(string(report), `<failure`) {
		t.Errorf("JUnit report %v:\n%s", err, report)
	}
	validateJUnit(t, string(report))
	if _, err := os.Stat(filepath.Join(dir, "public", "index.html")); err != nil {
		t.Error(err)
	}
}

// TestCrossCompileWindows builds the Windows binary as make release does
// (static, windows/amd64) and checks it is a PE executable.
func TestCrossCompileWindows(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiles the binary")
	}
	exe := filepath.Join(t.TempDir(), "funnel.exe")
	cmd := exec.Command("go", "build", "-trimpath", "-o", exe, ".")
	cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("GOOS=windows go build: %v\n%s", err, out)
	}
	f, err := pe.Open(exe)
	if err != nil {
		t.Fatalf("not a PE file: %v", err)
	}
	defer f.Close()
	if f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
		t.Errorf("machine %#x, want amd64", f.Machine)
	}
}
