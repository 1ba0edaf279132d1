package pdf

import (
	"errors"
	"runtime"
	"strings"
	"testing"
)

// Without a browser, Browser fails at once and says how to install one on
// every system.
func TestNoBrowserSaysHowToInstall(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the known install places differ by system")
	}
	t.Setenv("CHROMIUM", "")
	t.Setenv("PATH", t.TempDir())
	_, err := Browser()
	if !errors.Is(err, ErrNoBrowser) {
		t.Fatalf("err = %v, want ErrNoBrowser", err)
	}
	for _, want := range []string{"apt-get install chromium", "brew install", "winget install"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestBrowserFromEnvironment(t *testing.T) {
	t.Setenv("CHROMIUM", "/no/such/chromium")
	if _, err := Browser(); err == nil || !strings.Contains(err.Error(), "/no/such/chromium") {
		t.Errorf("a wrong $CHROMIUM: err = %v", err)
	}
}
