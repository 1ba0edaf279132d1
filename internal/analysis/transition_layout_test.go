package analysis

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// A reference source is written as its name, "" (or nothing, under
// omitempty) for none, and read back from it.
func TestRefKindIsWrittenAsItsName(t *testing.T) {
	for k := RefNone; k <= RefMaxDays; k++ {
		b, err := json.Marshal(Duration{RefSource: k})
		if err != nil {
			t.Fatal(err)
		}
		var back Duration
		if err := json.Unmarshal(b, &back); err != nil || back.RefSource != k {
			t.Errorf("%v: %s read back as %v (%v)", k, b, back.RefSource, err)
		}
	}
	if b, _ := json.Marshal(Transition{RefSource: RefBest}); !json.Valid(b) || !strings.Contains(string(b), `"reference_source":"best"`) {
		t.Errorf("best: %s", b)
	}
	if b, _ := json.Marshal(Transition{}); strings.Contains(string(b), "reference_source") {
		t.Errorf("none is omitted: %s", b)
	}
	var k RefKind
	if err := k.UnmarshalText([]byte("guess")); err == nil {
		t.Error("an unknown source is an error")
	}
}

// A Transition holds no pointer, so the collector skips the model's
// largest part (a 400-page model has ~80,000 of them) on every cycle. A
// string, slice, map or pointer field would bring the scanning back.
func TestTransitionHoldsNoPointer(t *testing.T) {
	var walk func(reflect.Type, string)
	walk = func(ty reflect.Type, path string) {
		switch ty.Kind() {
		case reflect.Struct:
			for i := range ty.NumField() {
				walk(ty.Field(i).Type, path+"."+ty.Field(i).Name)
			}
		case reflect.Array:
			walk(ty.Elem(), path+"[]")
		case reflect.Pointer, reflect.String, reflect.Slice, reflect.Map, reflect.Interface, reflect.Chan, reflect.Func, reflect.UnsafePointer:
			t.Errorf("%s is a %s: a Transition must hold no pointer", path, ty.Kind())
		}
	}
	walk(reflect.TypeFor[Transition](), "Transition")
}
