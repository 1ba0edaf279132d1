package version

import (
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestFrom(t *testing.T) {
	rel := &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v1.2.3"}}
	if got := From(rel); got.String() != "v1.2.3" || got.Go != "go1.26.0" || got.Long() != "go:       go1.26.0\n" {
		t.Errorf("release: %+v %q", got, got.Long())
	}
	dev := &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.time", Value: "2026-12-01T14:00:00Z"}, {Key: "vcs.modified", Value: "true"},
	}}
	got := From(dev)
	if got.String() != "devel+0123456789ab-modified" {
		t.Errorf("devel: %q", got.String())
	}
	if want := "revision: 0123456789abcdef0123 (2026-12-01T14:00:00Z), with uncommitted changes\n"; !strings.HasPrefix(got.Long(), want) {
		t.Errorf("Long: %q", got.Long())
	}
	if From(nil).String() != "devel" {
		t.Errorf("nil build info: %q", From(nil).String())
	}
}

// TestBinaryKnowsItsRevision clones this checkout's HEAD, builds
// cmd/funnel in the clone as a user would, and checks that `funnel
// version` prints the revision. (A clone, because the go command stamps
// only a checkout whose .git is a folder, not a linked worktree.)
func TestBinaryKnowsItsRevision(t *testing.T) {
	if testing.Short() {
		t.Skip("clones the repository and builds the binary")
	}
	root, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Skipf("not a git checkout: %v", err)
	}
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}
	clone := filepath.Join(t.TempDir(), "funnel")
	if out, cerr := exec.Command("git", "clone", "-q", "--shared", strings.TrimSpace(string(root)), clone).CombinedOutput(); cerr != nil {
		t.Fatalf("git clone: %v\n%s", cerr, out)
	}
	bin := filepath.Join(t.TempDir(), "funnel")
	// -buildvcs=true: the environment may turn stamping off in GOFLAGS.
	build := exec.Command("go", "build", "-buildvcs=true", "-o", bin, "./cmd/funnel")
	build.Dir = clone
	if out, berr := build.CombinedOutput(); berr != nil {
		t.Fatalf("go build: %v\n%s", berr, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	rev := strings.TrimSpace(string(head))
	if !strings.HasPrefix(string(out), "funnel v0.0.0-") || !strings.Contains(string(out), "revision: "+rev) {
		t.Errorf("funnel version:\n%s\nwant a pseudo-version and revision %s", out, rev)
	}
}
