package skipgroup

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

var demo = Group{Name: "demo tool", Require: "SKIPGROUP_TEST_REQUIRE", Enable: "install the demo tool"}

// TestSkipDemo is the child the tests below run in a fresh process, so that
// its skip or failure is observed from outside.
func TestSkipDemo(t *testing.T) {
	if os.Getenv("SKIPGROUP_TEST_CHILD") == "" {
		t.Skip("run as a child by TestSkipLogsLine and TestRequiredFails")
	}
	demo.Skip(t, "no demo tool here")
	t.Error("Skip returned")
}

func runChild(t *testing.T, env ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestSkipDemo$", "-test.v")
	cmd.Env = append(os.Environ(), append([]string{"SKIPGROUP_TEST_CHILD=1"}, env...)...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestSkipLogsLine(t *testing.T) {
	out, err := runChild(t, "SKIPGROUP_TEST_REQUIRE=")
	if err != nil {
		t.Fatalf("child failed: %v\n%s", err, out)
	}
	if !strings.Contains(out, "--- SKIP: TestSkipDemo") {
		t.Errorf("child did not skip:\n%s", out)
	}
	want := "SKIP-GROUP: demo tool: install the demo tool; SKIPGROUP_TEST_REQUIRE=1 makes a skip fail"
	if !strings.Contains(out, want) {
		t.Errorf("child output lacks %q:\n%s", want, out)
	}
}

func TestRequiredFails(t *testing.T) {
	out, err := runChild(t, "SKIPGROUP_TEST_REQUIRE=1")
	if err == nil {
		t.Fatalf("child passed although the group is required:\n%s", out)
	}
	if !strings.Contains(out, "--- FAIL: TestSkipDemo") || !strings.Contains(out, "SKIPGROUP_TEST_REQUIRE is set, but no demo tool here") {
		t.Errorf("child output:\n%s", out)
	}
	if strings.Contains(out, Marker) {
		t.Errorf("a required group logged a skip line:\n%s", out)
	}
}
