// Package text writes database values as the text a CSV export would
// hold: numbers with a dot and no exponent, dates as ISO 8601 in UTC.
package text

import (
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"math/big"
	"reflect"
	"strconv"
	"time"
)

// Of formats one value; nil (SQL NULL) is "".
func Of(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return string(x)
	case time.Time:
		return Time(x)
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	case *big.Int:
		return x.String()
	case [16]byte: // uuid
		h := hex.EncodeToString(x[:])
		return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
	case fmt.Stringer:
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
			return ""
		}
		return x.String()
	case driver.Valuer: // pgtype.Numeric and friends
		dv, err := x.Value()
		if err != nil {
			return fmt.Sprint(v)
		}
		return Of(dv)
	}
	return ofKind(v)
}

// ofKind formats the values no case of Of names by their kind: named
// integer and string types, pointers to values.
func ofKind(v any) string {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer:
		if rv.IsNil() {
			return ""
		}
		return Of(rv.Elem().Interface())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(rv.Uint(), 10)
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(rv.Float(), 'f', -1, 64)
	case reflect.String:
		return rv.String()
	}
	return fmt.Sprint(v)
}

// Time writes a time in UTC: a date alone when it is midnight.
func Time(t time.Time) string {
	t = t.UTC()
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.Format("2006-01-02")
	}
	return t.Format("2006-01-02 15:04:05")
}
