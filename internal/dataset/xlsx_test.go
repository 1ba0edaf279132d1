package dataset

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/errpos"
)

// workbook writes an .xlsx made by excelize itself: a merged title over
// the header (header_row: 3), dates stored as serials with a date format
// (created) and as text (won), amounts as numbers and as text written
// the Russian way. date1904 switches the workbook's date system, which
// moves every serial by 1462 days.
func workbook(t *testing.T, dir string, date1904 bool, extra ...[]any) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Сделки"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	if date1904 {
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &date1904}); err != nil {
			t.Fatal(err)
		}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetCellValue(sheet, "A1", "Выгрузка CRM за 2025 год"))
	must(f.MergeCell(sheet, "A1", "E1"))
	must(f.SetSheetRow(sheet, "A3", &[]any{"id", "created", "won", "amount", "Менеджер"}))
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	must(err)
	custom := "dd.mm.yyyy hh:mm"
	timeStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &custom})
	must(err)
	shift := 0.0
	if date1904 {
		shift = -1462
	}
	rows := [][]any{
		// id, created (1900 serial), style, won (text), amount, manager
		{"a", 45662.0, "date", "15.01.2025", 2000, "Иванова"},      // 2025-01-05
		{"b", 45663.5, "time", "", "", "Петров"},                   // 2025-01-06 12:00
		{"c", 45677.0, "date", "01.02.2025", "1 000,5", "Иванова"}, // 2025-01-20
		{"d", 45689.0, "date", "", nil, "Петров"},                  // 2025-02-01
	}
	rows = append(rows, extra...)
	for i, r := range rows {
		row := i + 4
		cell := func(col string) string { return col + strconv.Itoa(row) }
		must(f.SetCellValue(sheet, cell("A"), r[0]))
		if serial, ok := r[1].(float64); ok {
			must(f.SetCellFloat(sheet, cell("B"), serial+shift, -1, 64))
			style := dateStyle
			if r[2] == "time" {
				style = timeStyle
			}
			must(f.SetCellStyle(sheet, cell("B"), cell("B"), style))
		} else {
			must(f.SetCellValue(sheet, cell("B"), r[1]))
		}
		must(f.SetCellValue(sheet, cell("C"), r[3]))
		if r[4] != nil {
			must(f.SetCellValue(sheet, cell("D"), r[4]))
		}
		must(f.SetCellValue(sheet, cell("E"), r[5]))
	}
	name := filepath.Join(dir, "data", "crm.xlsx")
	must(os.MkdirAll(filepath.Dir(name), 0o755))
	must(f.SaveAs(name))
	return name
}

const xlsxYAML = `
steps: [{id: mql}, {id: won}]
metrics: [{id: avg_deal, unit: money}]
sources:
  - path: data/crm.%s
    sheet: Сделки
    header_row: 3
    kind: records
    records:
      id: id
      steps: {mql: created, won: won}
      segments: [Менеджер]
      value: amount
      value_metric: avg_deal
`

const xlsxAsCSV = "id;created;won;amount;Менеджер\n" +
	"a;2025-01-05;15.01.2025;2000;Иванова\n" +
	"b;2025-01-06 12:00;;;Петров\n" +
	"c;2025-01-20;01.02.2025;1 000,5;Иванова\n" +
	"d;2025-02-01;;;Петров\n"

func loadDir(t *testing.T, dir, yaml string) (*Table, error) {
	t.Helper()
	cfg, err := config.Parse("funnel.yaml", []byte(yaml))
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	return Load(os.DirFS(dir), cfg)
}

// A workbook in either date system loads into exactly the table the same
// rows give as CSV.
func TestWorkbookLoadsLikeCSV(t *testing.T) {
	want := mustLoad(t, strings.Replace(strings.Replace(xlsxYAML, "%s", "csv", 1), "    sheet: Сделки\n    header_row: 3\n", "", 1),
		map[string]string{"data/crm.csv": xlsxAsCSV})
	expectValue(t, want, "2025-01", All, "mql", 3)
	expectValue(t, want, "2025-01", All, "avg_deal", 1500.25)
	for _, date1904 := range []bool{false, true} {
		dir := t.TempDir()
		workbook(t, dir, date1904)
		got, err := loadDir(t, dir, strings.Replace(xlsxYAML, "%s", "xlsx", 1))
		if err != nil {
			t.Fatalf("1904=%v: %v", date1904, err)
		}
		if dump(got) != dump(want) {
			t.Errorf("1904=%v: workbook\n%s\nCSV\n%s", date1904, dump(got), dump(want))
		}
	}
}

// Bad cells are named the spreadsheet way: file[Sheet]!C12.
func TestWorkbookErrorsNameTheCell(t *testing.T) {
	dir := t.TempDir()
	workbook(t, dir, false,
		[]any{"e", 45690.0, "date", "32.01.2025", "", "Петров"},      // row 8: a text date that is no date
		[]any{"f", 45690.0, "date", "03.02.2025", "много", "Петров"}, // row 9: an amount that is no number
		[]any{"g", 60.0, "date", "", "", "Петров"},                   // row 10: serial 60, 29 Feb 1900
	)
	_, err := loadDir(t, dir, strings.Replace(xlsxYAML, "%s", "xlsx", 1))
	if err == nil {
		t.Fatal("loaded a workbook with bad cells")
	}
	for _, w := range []string{
		`data/crm.xlsx[Сделки]!C8: column "won": not a date`,
		`(value "32.01.2025")`,
		`data/crm.xlsx[Сделки]!D9: column "amount": not a number`,
		`data/crm.xlsx[Сделки]!B10: column "created": not a date`,
		`(value "1900-02-29")`,
	} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error\n%v\nlacks %q", err, w)
		}
	}
	// The place is a workbook cell, not a text line: check --format
	// github pins it to the file and names the cell in the message.
	var list *errpos.List
	if !errors.As(err, &list) || len(list.Errs) == 0 {
		t.Fatalf("not a list of positioned errors: %T", err)
	}
	var pe *errpos.Error
	if !errors.As(list.Errs[0], &pe) || pe.File != "data/crm.xlsx" || pe.Sheet != "Сделки" || pe.Line != 8 || pe.Col != 3 {
		t.Fatalf("first error %+v", pe)
	}
	if got, want := pe.Annotation("t"), `::error file=data/crm.xlsx,title=t::[Сделки]!C8: column "won": not a date`; !strings.HasPrefix(got, want) {
		t.Errorf("annotation %s, want %s…", got, want)
	}
}

// A snapshot sheet (first sheet, header in row 1): numbers as numbers or
// as Russian text, the same table as the CSV.
func TestWorkbookSnapshot(t *testing.T) {
	dir := t.TempDir()
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{
		{"period", "channel", "leads", "deals"},
		{"2025-01", "web", 1234, "12"},
		{"2025-01", "mail", "1 234,0", 7.0},
		{"2025-02", "web", "2\u00a0000", 20},
	}
	for i, r := range rows {
		if err := f.SetSheetRow("Sheet1", "A"+strconv.Itoa(i+1), &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(filepath.Join(dir, "data", "s.xlsx")); err != nil {
		t.Fatal(err)
	}
	const yaml = "steps: [{id: leads}, {id: deals}]\nsegments: [channel]\nsources: [{path: data/s.%s}]\n"
	got, err := loadDir(t, dir, strings.Replace(yaml, "%s", "xlsx", 1))
	if err != nil {
		t.Fatal(err)
	}
	want := mustLoad(t, strings.Replace(yaml, "%s", "csv", 1), map[string]string{"data/s.csv": "period;channel;leads;deals\n2025-01;web;1234;12\n2025-01;mail;1 234,0;7\n2025-02;web;2 000;20\n"})
	if dump(got) != dump(want) {
		t.Errorf("workbook\n%s\nCSV\n%s", dump(got), dump(want))
	}
	expectValue(t, got, "2025-01", All, "leads", 2468)
	_, err = loadDir(t, dir, strings.Replace(yaml, "%s}", "xlsx, sheet: Итоги}", 1))
	if err == nil || !strings.Contains(err.Error(), `no sheet "Итоги" (the workbook has "Sheet1")`) {
		t.Errorf("missing sheet: %v", err)
	}
}
