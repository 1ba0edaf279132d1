package export

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

func TestPrecRound(t *testing.T) {
	tests := []struct {
		p    prec
		v    float64
		want string
	}{
		{sig6, 0.18451612903225806, "0.184516"},
		{sig6, 143.0 / 775, "0.184516"},
		{sig6, 1234567.891, "1234570"},
		{sig6, -0.0000001234567, "-1.23457e-7"},
		{sig6, 0.3, "0.3"},
		{sig6, 1e-30 / 3, "3.33333e-31"},
		{sig6, 1e30 / 3, "3.33333e+29"},
		{whole, 2.5, "3"},
		{whole, -0.4, "0"},
		{whole, 26672, "26672"},
		{cents, 109984591.99999999, "109984592"},
		{cents, 183545078.49999997, "183545078.5"},
		{cents, -0.001, "0"},
		{days, 12.3456, "12.35"},
		{days, 45, "45"},
	}
	for _, tt := range tests {
		if got := string(tt.p.appendNum(nil, tt.v)); got != tt.want {
			t.Errorf("prec %d of %v = %s, want %s", tt.p, tt.v, got, tt.want)
		}
	}
}

// Six significant digits by arithmetic agree with strconv's decimal
// rounding (the reference) on random numbers of every magnitude, and
// the result is never longer than 6 digits.
func TestSig6MatchesDecimalRounding(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	off := 0
	for range 200000 {
		v := (r.Float64() - 0.5) * math.Pow(10, float64(r.IntN(40)-20))
		want, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 6, 64), 64)
		got := sig6.round(v)
		if got != want {
			// A value a hair from a tie may round either way; never further.
			if math.Abs(got-want) > math.Abs(want)*1.01e-5 {
				t.Fatalf("sig6(%v) = %v, want %v", v, got, want)
			}
			off++
		}
		if s := strconv.FormatFloat(got, 'e', -1, 64); len(s) > len("-1.23456e+00")+2 {
			t.Fatalf("sig6(%v) = %s: too many digits", v, s)
		}
	}
	if off > 20 {
		t.Errorf("%d of 200000 differ from decimal rounding", off)
	}
}

// roundJSON rounds by context: the key, the list an object is in, its
// unit or its metric's unit; integers and strings stay as they are.
func TestRoundJSONContexts(t *testing.T) {
	units := []string{"money", "percent"}
	in := `{"a\"b":"0.123456789","n":1234567,"steps":[{"target":0.123456789,"max_days":3.14159}],` +
		`"bottlenecks":[{"reference":0.123456789,"gain":1.23456,"gain_value":1234.5678}],` +
		`"drawn_out":[{"reference":12.3456,"over_share":0.123456789,"load":7.777}],` +
		`"kpis":[{"metric":0,"value":1234.5678,"change_rel":0.123456789},{"metric":1,"value":0.123456789}],` +
		`"metrics":[1234.5678,0.123456789],"counts":[1.4,null],"rates":[[0.123456789,null]],` +
		`"values":[{"name":"x","unit":"days","value":1.23456},{"name":"y","unit":"rate","value":0.123456789}]}`
	want := `{"a\"b":"0.123456789","n":1234567,"steps":[{"target":0.123457,"max_days":3.14}],` +
		`"bottlenecks":[{"reference":0.123457,"gain":1.23,"gain_value":1234.57}],` +
		`"drawn_out":[{"reference":12.35,"over_share":0.123457,"load":7.78}],` +
		`"kpis":[{"metric":0,"value":1234.57,"change_rel":0.123457},{"metric":1,"value":0.123457}],` +
		`"metrics":[1234.57,0.123457],"counts":[1,null],"rates":[[0.123457,null]],` +
		`"values":[{"name":"x","unit":"days","value":1.23},{"name":"y","unit":"rate","value":0.123457}]}`
	if got := string(roundJSON(nil, []byte(in), units)); got != want {
		t.Errorf("roundJSON:\n got %s\nwant %s", got, want)
	}
}

// The fast path prints exactly what rounding and then the shortest float
// form print, at every precision, on random numbers of every magnitude,
// on numbers a hair either side of a power of ten and of a rounding tie.
func TestAppendFastMatchesRoundThenFormat(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var vs []float64
	for range 300000 {
		vs = append(vs, (r.Float64()-0.5)*math.Pow(10, float64(r.IntN(44)-22)))
	}
	for e := -22; e <= 22; e++ {
		p := math.Pow(10, float64(e))
		for _, x := range []float64{p, math.Nextafter(p, 0), math.Nextafter(p, math.Inf(1)),
			p * 0.9999995, p * 0.99999949999, p * 0.99999950001, p * 1.0000005, p * 1.2345650, p * 1.2345649999} {
			vs = append(vs, x, -x)
		}
	}
	for i := range 100000 { // ties at two decimals and at whole numbers
		x := float64(i)/200 + 0.005*float64(i%2)
		vs = append(vs, x, -x, float64(i)+0.5, -float64(i)-0.5)
	}
	vs = append(vs, 0, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1), 1e-5, 1e14, 1e13, 1e15,
		math.Nextafter(1e-5, 0), math.Nextafter(1e14, 0), math.Nextafter(1e13, 0), math.Nextafter(1e15, 0))
	fast := 0
	for _, p := range []prec{sig6, whole, cents, days} {
		for _, v := range vs {
			want := string(appendNumber(nil, p.round(v)))
			got, ok := p.appendFast([]byte("x"), v)
			if !ok {
				continue
			}
			fast++
			if string(got[1:]) != want {
				t.Fatalf("prec %d of %v (%b): fast %q, want %q", p, v, v, got[1:], want)
			}
		}
	}
	if fast < len(vs) {
		t.Errorf("the fast path took only %d of %d numbers", fast, 4*len(vs))
	}
}

// BenchmarkAppendNum writes the mix of a funnel.json: rates and
// p-values (six significant digits), counts, money and days.
func BenchmarkAppendNum(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	type num struct {
		p prec
		v float64
	}
	var xs []num
	for range 4096 {
		xs = append(xs, num{sig6, r.Float64()}, num{sig6, r.Float64() / 1000}, num{whole, float64(r.IntN(5000))},
			num{cents, r.Float64() * 1e6}, num{days, r.Float64() * 90})
	}
	buf := make([]byte, 0, 64)
	b.ResetTimer()
	for i := range b.N {
		x := xs[i%len(xs)]
		buf = x.p.appendNum(buf[:0], x.v)
	}
}
