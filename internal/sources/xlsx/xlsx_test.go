package xlsx

import "testing"

func TestSerial(t *testing.T) {
	for _, c := range []struct {
		v        string
		date1904 bool
		withTime bool
		want     string
	}{
		{"1", false, false, "1900-01-01"},
		{"59", false, false, "1900-02-28"},
		{"60", false, false, "1900-02-29"}, // never was: the date check rejects it
		{"61", false, false, "1900-03-01"},
		{"25569", false, false, "1970-01-01"},
		{"45662", false, false, "2025-01-05"},
		{"45663.5", false, true, "2025-01-06 12:00:00"},
		{"45663.5", false, false, "2025-01-06"},
		{"45663.99999999", false, true, "2025-01-07"}, // rounds to midnight
		{"0", true, false, "1904-01-01"},
		{"44200", true, false, "2025-01-05"}, // 45662 − 1462
		{"0", false, false, "1900-01-00"},
	} {
		got, err := Serial(c.v, c.date1904, c.withTime)
		if err != nil || got != c.want {
			t.Errorf("Serial(%s, 1904=%v) = %q, %v; want %q", c.v, c.date1904, got, err, c.want)
		}
	}
	if _, err := Serial("-1", false, false); err == nil {
		t.Error("a negative serial converted")
	}
}

func TestFormatKind(t *testing.T) {
	s := func(f string) *string { return &f }
	for _, c := range []struct {
		id     int
		custom *string
		want   cellKind
	}{
		{0, nil, plain}, {2, nil, plain}, {9, nil, plain}, {14, nil, dateOnly}, {22, nil, dateTime}, {20, nil, plain},
		{0, s("dd.mm.yyyy"), dateOnly}, {0, s("dd.mm.yyyy hh:mm"), dateTime}, {0, s(`# ##0,00 "дней"`), plain},
		{0, s(`[$-419]d mmmm yyyy`), dateOnly}, {0, s("0.0%"), plain}, {0, s("[h]:mm"), plain}, {0, s(`0 "d"`), plain},
	} {
		if got := formatKind(c.id, c.custom); got != c.want {
			t.Errorf("formatKind(%d, %v) = %d, want %d", c.id, c.custom, got, c.want)
		}
	}
}
