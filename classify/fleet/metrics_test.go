package fleet

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/common/expfmt"
)

// gather returns the metrics in the text exposition format.
func gather(t testing.TB, m *Metrics) string {
	t.Helper()
	mfs, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	enc := expfmt.NewEncoder(&b, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, mf := range mfs {
		if err := enc.Encode(mf); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

// counter returns the value of the series of name with a label of that
// value, or with no label when value is "" (0 when absent).
func counter(t testing.TB, m *Metrics, name, value string) float64 {
	t.Helper()
	mfs, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, s := range mf.GetMetric() {
			match := value == "" && len(s.GetLabel()) == 0
			for _, l := range s.GetLabel() {
				match = match || l.GetValue() == value
			}
			if !match {
				continue
			}
			if s.GetCounter() != nil {
				return s.GetCounter().GetValue()
			}
			return s.GetGauge().GetValue()
		}
	}
	return 0
}

// promtool checks the exposition with `promtool check metrics` when
// promtool is installed (Debian package prometheus).
func promtool(t testing.TB, text string) {
	t.Helper()
	p, err := exec.LookPath("promtool")
	if err != nil {
		t.Log("promtool not installed (Debian package prometheus): not checked")
		return
	}
	cmd := exec.Command(p, "check", "metrics")
	cmd.Stdin = strings.NewReader(text)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
}

// TestGrafanaExample: every metric the example Grafana dashboard queries
// is one the hub exports.
func TestGrafanaExample(t *testing.T) {
	b, err := os.ReadFile("../../examples/grafana-ecg-serve.json")
	if err != nil {
		t.Skip("examples/grafana-ecg-serve.json not found")
	}
	var dash struct {
		Panels []struct {
			Targets []struct{ Expr string } `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(b, &dash); err != nil {
		t.Fatal(err)
	}
	m := NewMetrics()
	m.Received("mqtt")
	m.latency.Observe(0.01)
	known := map[string]bool{}
	mfs, _ := m.Registry().Gather()
	for _, mf := range mfs {
		known[mf.GetName()] = true
	}
	for _, v := range []string{"ecg_devices", "ecg_device_alert", "ecg_device_heart_rate_bpm", "ecg_device_reported_heart_rate_bpm",
		"ecg_device_rhythm", "ecg_device_rhythm_confidence", "ecg_device_signal_quality", "ecg_device_samples_total",
		"ecg_messages_rejected_total", "ecg_published_total", "ecg_mqtt_connected"} {
		known[v] = true // vectors without series yet
	}
	name := regexp.MustCompile(`\b(ecg|process|go)_[a-z_]+`)
	n := 0
	for _, p := range dash.Panels {
		for _, tg := range p.Targets {
			for _, used := range name.FindAllString(tg.Expr, -1) {
				n++
				if base := strings.TrimSuffix(used, "_bucket"); !known[base] && !known[used] {
					t.Errorf("the dashboard queries %s, which the hub does not export", used)
				}
			}
		}
	}
	if n < 10 {
		t.Errorf("%d metric names found in the dashboard", n)
	}
	// Every query parses: promtool checks them as recording rules.
	p, err := exec.LookPath("promtool")
	if err != nil {
		t.Log("promtool not installed (Debian package prometheus): queries not parsed")
		return
	}
	var rules strings.Builder
	rules.WriteString("groups:\n- name: grafana\n  rules:\n")
	k := 0
	for _, pn := range dash.Panels {
		for _, tg := range pn.Targets {
			expr, _ := json.Marshal(strings.ReplaceAll(tg.Expr, "$device", ".*"))
			fmt.Fprintf(&rules, "  - record: ecg:grafana_%d\n    expr: %s\n", k, expr)
			k++
		}
	}
	file := filepath.Join(t.TempDir(), "rules.yml")
	if err := os.WriteFile(file, []byte(rules.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(p, "check", "rules", file).CombinedOutput(); err != nil {
		t.Errorf("promtool check rules: %v\n%s", err, out)
	}
}
