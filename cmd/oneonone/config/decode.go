package config

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"
	"time"
)

// decoder lays the generic TOML tree over a Config that already holds the
// defaults. It does the work of a strict toml.Decode itself because it must
// name keys with their array indices, report every problem rather than the
// first, and give each array element its own defaults.
type decoder struct {
	p   *problems
	set map[string]bool // every key present in the file, by full path
	cfg *Config
}

var durationType = reflect.TypeOf(time.Duration(0))

func reflectValue(c *Config) reflect.Value { return reflect.ValueOf(c).Elem() }

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// fieldName is a struct field's TOML key, or "" for derived fields.
func fieldName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
	if name == "-" {
		return ""
	}
	return name
}

// table decodes m onto the struct rv in field order (see Config.Detect).
func (d *decoder) table(path string, m map[string]any, rv reflect.Value) {
	t := rv.Type()
	var known []string
	for i := range t.NumField() {
		name := fieldName(t.Field(i))
		if name == "" {
			continue
		}
		known = append(known, name)
		if v, ok := m[name]; ok {
			d.value(join(path, name), v, rv.Field(i))
		}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if fieldIndex(known, k) < 0 {
			d.unknown(join(path, k), k, known)
		}
	}
}

func fieldIndex(known []string, k string) int {
	for i, n := range known {
		if n == k {
			return i
		}
	}
	return -1
}

func (d *decoder) unknown(path, k string, known []string) {
	d.p.bad[path] = true
	where := "the top level"
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		where = "[" + path[:i] + "]"
	}
	if s := suggest(k, known); s != "" {
		d.p.list = append(d.p.list, Error{Key: path, Line: d.p.line(path),
			Msg: fmt.Sprintf("unknown key — did you mean %q?", s)})
		return
	}
	d.p.list = append(d.p.list, Error{Key: path, Line: d.p.line(path),
		Msg: fmt.Sprintf("unknown key — the keys of %s are %s", where, strings.Join(known, ", "))})
}

// value decodes one TOML value onto rv, a field or slice element.
func (d *decoder) value(path string, v any, rv reflect.Value) {
	d.set[path] = true
	switch {
	case rv.Type() == durationType:
		s, ok := v.(string)
		if !ok {
			d.mismatch(path, `a duration string such as "24h"`, v)
			return
		}
		dur, err := time.ParseDuration(s)
		if err != nil {
			d.fail(path, "%q is not a duration (use Go syntax like \"24h\", \"90m\" or \"0s\")", s)
			return
		}
		rv.SetInt(int64(dur))
	case rv.Kind() == reflect.String:
		s, ok := v.(string)
		if !ok {
			d.mismatch(path, "a string", v)
			return
		}
		rv.SetString(s)
	case rv.Kind() == reflect.Bool:
		b, ok := v.(bool)
		if !ok {
			d.mismatch(path, "true or false", v)
			return
		}
		rv.SetBool(b)
	case rv.Kind() == reflect.Int:
		n, ok := v.(int64)
		if !ok {
			d.mismatch(path, "an integer", v)
			return
		}
		if n < math.MinInt32 || n > math.MaxInt32 {
			d.fail(path, "%d is out of range", n)
			return
		}
		rv.SetInt(n)
	case rv.Kind() == reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			d.mismatch(path, "a table", v)
			return
		}
		d.table(path, m, rv)
	case rv.Kind() == reflect.Slice:
		d.slice(path, v, rv)
	default:
		panic(fmt.Sprintf("config: field %s has unsupported type %s", path, rv.Type()))
	}
}

// slice decodes an array, replacing rv's default entirely.
func (d *decoder) slice(path string, v any, rv reflect.Value) {
	av := reflect.ValueOf(v)
	if v == nil || av.Kind() != reflect.Slice {
		if rv.Type().Elem().Kind() == reflect.Struct {
			d.mismatch(path, "an array of tables ([["+path+"]])", v)
		} else {
			d.mismatch(path, "an array", v)
		}
		return
	}
	out := reflect.MakeSlice(rv.Type(), av.Len(), av.Len())
	for i := range av.Len() {
		elem := out.Index(i)
		switch elem.Addr().Interface().(type) {
		case *Calendar:
			elem.Set(reflect.ValueOf(newCalendar(d.cfg.Detect)))
		case *Question:
			elem.Set(reflect.ValueOf(newQuestion()))
		}
		d.value(fmt.Sprintf("%s[%d]", path, i), av.Index(i).Interface(), elem)
	}
	rv.Set(out)
}

func (d *decoder) fail(path, format string, args ...any) { d.p.fail(path, format, args...) }

func (d *decoder) mismatch(path, want string, v any) {
	d.fail(path, "expected %s, found %s", want, tomlType(v))
}

// tomlType names a decoded TOML value's type the way the TOML spec does.
func tomlType(v any) string {
	switch v := v.(type) {
	case string:
		return fmt.Sprintf("the string %q", v)
	case int64:
		return fmt.Sprintf("the integer %d", v)
	case float64:
		return fmt.Sprintf("the float %v", v)
	case bool:
		return fmt.Sprintf("the boolean %v", v)
	case time.Time:
		return "a date-time"
	case map[string]any:
		return "a table"
	case []map[string]any:
		return "an array of tables"
	case []any:
		return "an array"
	}
	return fmt.Sprintf("a %T", v)
}
