package assets

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// The vendored script must be exactly the committed one: a hand edit or a
// half-done upgrade fails here, not in a user's browser.
func TestEChartsMatchesChecksum(t *testing.T) {
	b, err := ECharts()
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if got, want := hex.EncodeToString(sum[:]), EChartsSHA256(); got != want {
		t.Fatalf("dist/echarts.min.js sha256 %s, dist/echarts.min.js.sha256 says %s", got, want)
	}
	if !strings.Contains(string(b[:2000]), "echarts") {
		t.Fatal("dist/echarts.min.js does not look like ECharts")
	}
}

func TestEChartsCustomMatchesChecksum(t *testing.T) {
	b := EChartsCustom()
	sum := sha256.Sum256(b)
	if got, want := hex.EncodeToString(sum[:]), EChartsCustomSHA256(); got != want {
		t.Fatalf("dist/echarts.custom.min.js sha256 %s, dist/echarts.custom.min.js.sha256 says %s", got, want)
	}
	if !strings.Contains(string(b), `"`+EChartsVersion+`"`) {
		t.Fatalf("the custom build does not carry version %s", EChartsVersion)
	}
}

// The pinned version is said in three places; they must agree.
func TestEChartsVersionMatchesLock(t *testing.T) {
	raw, err := os.ReadFile("package-lock.json")
	if err != nil {
		t.Fatal(err)
	}
	var lock struct {
		Packages map[string]struct{ Version string } `json:"packages"`
	}
	if err := json.Unmarshal(raw, &lock); err != nil {
		t.Fatal(err)
	}
	if v := lock.Packages["node_modules/echarts"].Version; v != EChartsVersion {
		t.Fatalf("package-lock.json pins echarts %s, EChartsVersion is %s", v, EChartsVersion)
	}
	b, _ := ECharts()
	if !strings.Contains(string(b), `"`+EChartsVersion+`"`) {
		t.Fatalf("the vendored script does not carry version %s", EChartsVersion)
	}
}

func TestLicensesNameApache(t *testing.T) {
	l := Licenses()
	for _, want := range []string{"Apache License", "Version 2.0", "Apache ECharts"} {
		if !strings.Contains(l, want) {
			t.Errorf("Licenses() lacks %q", want)
		}
	}
}
