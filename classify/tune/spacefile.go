package tune

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// MaxSpaceFile bounds the size of a space file (bytes).
const MaxSpaceFile = 1 << 20

// ParseSpaceFile parses a search space from the contents of the file name
// (used in errors). JSON is an object whose keys are parameter names and
// whose values are a range as --param takes it ("50:800:log", "a|b") or a
// list of categorical values (["balanced", "none"], [3, 4, 5]). Anything
// else is read as a small subset of YAML: lines "name: range" or
// "name: [a, b, c]", with # comments and blank lines, values optionally
// quoted.
func ParseSpaceFile(name string, data []byte) (Space, error) {
	if len(data) > MaxSpaceFile {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, MaxSpaceFile)
	}
	var params []Param
	var err error
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		params, err = parseJSONSpace(t)
	} else {
		params, err = parseYAMLSpace(string(data))
	}
	if err == nil {
		var s Space
		if s, err = NewSpace(params); err == nil {
			return s, nil
		}
	}
	return nil, fmt.Errorf("%s: %w", name, err)
}

// parseJSONSpace reads the JSON form of a space file.
func parseJSONSpace(data []byte) ([]Param, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	var params []Param
	for _, name := range Names {
		raw, ok := m[name]
		if !ok {
			continue
		}
		delete(m, name)
		r, err := jsonRange(raw)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", name, err)
		}
		p, err := NewParam(name, r)
		if err != nil {
			return nil, err
		}
		params = append(params, p)
	}
	for name := range m {
		_, err := NewParam(name, "")
		return nil, err // unknown names only are left
	}
	return params, nil
}

// jsonRange returns a range string from a JSON string or list of strings
// and numbers.
func jsonRange(raw json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var list []any
	if err := json.Unmarshal(raw, &list); err != nil {
		return "", fmt.Errorf("want a range string or a list of values")
	}
	parts := make([]string, len(list))
	for i, v := range list {
		switch v := v.(type) {
		case string:
			parts[i] = v
		case float64:
			parts[i] = strconv.FormatFloat(v, 'g', -1, 64)
		default:
			return "", fmt.Errorf("list value %v: want a string or a number", v)
		}
	}
	return strings.Join(parts, "|"), nil
}

// parseYAMLSpace reads the YAML subset of a space file.
func parseYAMLSpace(text string) ([]Param, error) {
	var params []Param
	for i, line := range strings.Split(text, "\n") {
		if j := strings.Index(line, "#"); j >= 0 {
			line = line[:j]
		}
		line = strings.TrimSpace(line)
		if line == "" || line == "---" {
			continue
		}
		name, val, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("line %d: want \"name: range\"", i+1)
		}
		val = strings.TrimSpace(val)
		if strings.HasPrefix(val, "[") && strings.HasSuffix(val, "]") {
			items := strings.Split(val[1:len(val)-1], ",")
			for k, it := range items {
				items[k] = unquote(strings.TrimSpace(it))
			}
			val = strings.Join(items, "|")
		} else {
			val = unquote(val)
		}
		p, err := NewParam(unquote(strings.TrimSpace(name)), val)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", i+1, err)
		}
		params = append(params, p)
	}
	return params, nil
}

// unquote removes one pair of matching single or double quotes around s.
func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}
