package main

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/pdf"
	"github.com/funnel-report/funnel/internal/skipgroup"
	"github.com/funnel-report/funnel/internal/testproject"
)

// needPDFTools skips, loudly, without a browser or poppler-utils, and fails
// instead when CI requires them.
func needPDFTools(t *testing.T) {
	t.Helper()
	if _, err := pdf.Browser(); err != nil {
		skipgroup.Browser.Skip(t, err.Error())
	}
	for _, tool := range []string{"pdftotext", "pdfinfo", "pdftohtml", "pdfimages"} {
		if _, err := exec.LookPath(tool); err != nil {
			skipgroup.PDF.Skip(t, "no "+tool+" on PATH")
		}
	}
}

func poppler(t *testing.T, tool string, args ...string) string {
	t.Helper()
	out, err := exec.Command(tool, args...).Output()
	if err != nil {
		t.Fatalf("%s %v: %v", tool, args, err)
	}
	return string(out)
}

// The PDF: A4 pages, a cover with title, client, period and logo, a
// table of contents whose entries are the report's sections, bookmarks,
// page numbers in the footer, and the report itself.
func TestPDF(t *testing.T) {
	needPDFTools(t)
	dir := testproject.CopyExample(t)
	cfg, err := os.ReadFile(filepath.Join(testproject.Root(t), "funnel.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	testproject.WriteInto(t, dir, "-- funnel.yaml --\n"+string(cfg)+"\nclient: ООО «Заказчик»\nlogo: logo.png\n")
	writeLogo(t, filepath.Join(dir, "logo.png"))
	out := filepath.Join(t.TempDir(), "report.pdf")
	code, stdout, stderr := runCLI(t, "pdf", "--source", dir, "--period", "2025-Q3", "--out", out)
	if code != exitOK {
		t.Fatalf("funnel pdf: exit %d\n%s\n%s", code, stdout, stderr)
	}
	info := poppler(t, "pdfinfo", out)
	if !strings.Contains(info, "Page size:       594.96 x 841.92 pts (A4)") {
		t.Errorf("not A4:\n%s", info)
	}
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindStringSubmatch(info)
	pages := 0
	if m != nil {
		pages, _ = strconv.Atoi(m[1])
	}
	// Cover, contents, then the report: its sections start pages of their
	// own (print.css), so the example's period report takes at least five.
	if pages < 7 || pages > 20 {
		t.Errorf("%d pages, want 7 to 20", pages)
	}
	text := poppler(t, "pdftotext", "-layout", out, "-")
	byPage := strings.Split(text, "\f")
	if len(byPage) < 3 {
		t.Fatalf("pdftotext gave %d pages", len(byPage))
	}
	// The title may wrap (26pt on A4: "B2B-" ends a line when the report
	// has no wide table that shrinks the print to fit): compare words.
	// pdftotext -layout drops the spaces of "1 / 9" when a wide table
	// shrinks the print: page numbers are compared without them.
	cover := strings.Join(strings.Fields(strings.ReplaceAll(byPage[0], "B2B-\n", "B2B-")), " ")
	cover = strings.ReplaceAll(cover, " / ", "/")
	byPage[1] = strings.ReplaceAll(byPage[1], " / ", "/")
	for _, want := range []string{"ХимПромСнаб — воронка B2B-клиентов", "III квартал 2025", "ООО «Заказчик»", "1/" + strconv.Itoa(pages)} {
		if !strings.Contains(cover, want) {
			t.Errorf("the cover lacks %q:\n%s", want, byPage[0])
		}
	}
	for _, want := range []string{"Содержание", "Главное", "Узкие места", "Воронка", "Поток и потери", "Сегменты", "2/" + strconv.Itoa(pages)} {
		if !strings.Contains(byPage[1], want) {
			t.Errorf("the contents page lacks %q:\n%s", want, byPage[1])
		}
	}
	for _, want := range []string{"Провал веб-канала", "Отправлено КП", "Конверсия шага"} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	// Bookmarks: the outline holds the sections.
	xml := poppler(t, "pdftohtml", "-xml", "-stdout", "-i", "-q", out)
	for _, want := range []string{"<outline>", ">Узкие места</item>", ">Сегменты</item>"} {
		if !strings.Contains(xml, want) {
			t.Errorf("the PDF outline lacks %s", want)
		}
	}
	// The logo is the one image of the cover.
	if imgs := poppler(t, "pdfimages", "-list", "-f", "1", "-l", "1", out); !strings.Contains(imgs, " 120    40 ") {
		t.Errorf("the cover has no 120×40 logo:\n%s", imgs)
	}
}

// writeLogo writes a 120×40 PNG.
func writeLogo(t *testing.T, name string) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 120, 40))
	for i := range img.Pix {
		img.Pix[i] = byte(i)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestPDFWithoutBrowser(t *testing.T) {
	t.Setenv("CHROMIUM", "")
	t.Setenv("PATH", t.TempDir())
	code, _, stderr := runCLI(t, "pdf", "--source", testproject.CopyExample(t), "--out", filepath.Join(t.TempDir(), "r.pdf"))
	if code != exitError || !strings.Contains(stderr, "apt-get install chromium") {
		t.Errorf("exit %d, stderr %s", code, stderr)
	}
}
