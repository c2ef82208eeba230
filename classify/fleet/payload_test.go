package fleet

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestDecodeMessage(t *testing.T) {
	for _, c := range []struct {
		topic, in string
		want      Message
		err       error
	}{
		{"w1", `{"ecg":0.5}`, Message{Device: "w1", ECG: []float64{0.5}}, nil},
		{"w1", `{"device_id":"w2","ecg":[1,2,3],"fs":250,"ts":1718000000.5,"bpm":71,"ppg":[9,8]}`,
			Message{Device: "w2", ECG: []float64{1, 2, 3}, Fs: 250, TS: 1718000000.5, HasTS: true, BPM: 71, PPG: []float64{9, 8}}, nil},
		{"w1", `{"ecg":[1],"timestamp":"2024-06-10T06:13:20.5Z"}`, Message{Device: "w1", ECG: []float64{1}, TS: 1717999999.5 + 1, HasTS: true}, nil},
		{"w1", `{"ecg":[]}`, Message{}, ErrMalformed},
		{"w1", `{"ecg":"x"}`, Message{}, ErrMalformed},
		{"w1", `{"ecg":[1,null]}`, Message{}, nil},
		{"w1", `{"ecg":1,"fs":-3}`, Message{}, ErrMalformed},
		{"w1", `{"ecg":1,"fs":0}`, Message{}, ErrMalformed},
		{"w1", `not json`, Message{}, ErrMalformed},
		{"", `{"ecg":1}`, Message{}, ErrBadDevice},
		{"../etc", `{"ecg":1}`, Message{}, ErrBadDevice},
		{"w1", `{"ecg":1,"device_id":"a b"}`, Message{}, ErrBadDevice},
		{"w1", `{"ecg":1,"device_id":"` + strings.Repeat("x", 65) + `"}`, Message{}, ErrBadDevice},
		{"w1", `{"ecg":[` + strings.Repeat("1,", 5000) + `1]}`, Message{}, ErrMalformed},
	} {
		got, err := DecodeMessage(c.topic, []byte(c.in), Limits{})
		if c.err != nil {
			if !errors.Is(err, c.err) {
				t.Errorf("%.40s: error %v, want %v", c.in, err, c.err)
			}
			continue
		}
		if c.want.Device == "" {
			continue // decodes or not; must not panic
		}
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if math.IsNaN(got.BPM) && c.want.BPM == 0 {
			got.BPM = 0
		}
		if got.Device != c.want.Device || !slices.Equal(got.ECG, c.want.ECG) || !slices.Equal(got.PPG, c.want.PPG) ||
			got.Fs != c.want.Fs || got.HasTS != c.want.HasTS || math.Abs(got.TS-c.want.TS) > 1e-6 || got.BPM != c.want.BPM {
			t.Errorf("%s:\n got %+v\nwant %+v", c.in, got, c.want)
		}
	}
	if _, err := DecodeMessage("w", []byte(`{"ecg":1}`), Limits{MaxBytes: 4}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("over MaxBytes: %v", err)
	}
}

func TestDecodeBody(t *testing.T) {
	msgs, bad, err := DecodeBody("w1", []byte("{\"ecg\":[1,2]}\n\n{\"ecg\":3,\"fs\":250}\nbad\n{\"device_id\":\"w2\",\"ecg\":1}\n"), Limits{})
	if err != nil || bad != 2 || len(msgs) != 2 || msgs[1].Fs != 250 {
		t.Errorf("JSON lines: %d messages, %d bad, %v", len(msgs), bad, err)
	}
	msgs, bad, err = DecodeBody("w1", []byte("time,ecg\n0.000,0.1\n0.004,0.2\nx,y\n0.008,0.3\n"), Limits{})
	if err != nil || bad != 1 || len(msgs) != 1 || !slices.Equal(msgs[0].ECG, []float64{0.1, 0.2, 0.3}) ||
		msgs[0].TS != 0 || msgs[0].TSLast != 0.008 || !msgs[0].HasTSLast {
		t.Errorf("CSV: %+v, %d bad, %v", msgs, bad, err)
	}
	msgs, _, err = DecodeBody("w1", []byte("0.1\n0.2\r\n"), Limits{})
	if err != nil || len(msgs) != 1 || len(msgs[0].ECG) != 2 || msgs[0].HasTS {
		t.Errorf("one column: %+v, %v", msgs, err)
	}
	if _, _, err := DecodeBody("w1", []byte("a\nb\n"), Limits{}); !errors.Is(err, ErrMalformed) {
		t.Errorf("no samples: %v", err)
	}
	if _, _, err := DecodeBody("w1", []byte(strings.Repeat("1\n", 10)), Limits{MaxSamples: 5}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("too many samples: %v", err)
	}
	if _, _, err := DecodeBody("a/b", []byte("1\n"), Limits{}); !errors.Is(err, ErrBadDevice) {
		t.Errorf("bad device: %v", err)
	}
}

// FuzzDecodeMessage: any bytes decode or fail with one of the reasons,
// never panic, and a decoded message holds what the limits allow.
func FuzzDecodeMessage(f *testing.F) {
	for _, s := range []string{`{"ecg":0.5}`, `{"device_id":"w2","ecg":[1,2,3],"fs":250,"ts":1.5,"bpm":71,"ppg":[9]}`,
		`{"ecg":[1],"timestamp":"2024-06-10T06:13:20Z"}`, `{"ecg":[1e308,-1e308]}`, `[]`, `{"ecg":{}}`} {
		f.Add("w1", []byte(s))
	}
	f.Fuzz(func(t *testing.T, topic string, b []byte) {
		lim := Limits{MaxBytes: 4096, MaxSamples: 64}
		m, err := DecodeMessage(topic, b, lim)
		if err != nil {
			if Reason(err) == "other" {
				t.Fatalf("error with no reason: %v", err)
			}
			return
		}
		if !ValidDevice(m.Device) || len(m.ECG) == 0 || len(m.ECG) > 64 || len(m.PPG) > 64 || m.Fs < 0 {
			t.Fatalf("decoded %+v", m)
		}
	})
}

// FuzzDecodeBody: the same for ingest bodies.
func FuzzDecodeBody(f *testing.F) {
	for _, s := range []string{"{\"ecg\":[1,2]}\n{\"ecg\":3}\n", "time,ecg\n0,1\n0.004,2\n", "1\n2\n", "x\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		msgs, bad, err := DecodeBody("w1", b, Limits{MaxSamples: 64})
		if err != nil {
			if Reason(err) == "other" {
				t.Fatalf("error with no reason: %v", err)
			}
			return
		}
		if bad < 0 || len(msgs) == 0 && bad == 0 {
			t.Fatalf("%d messages, %d bad, no error", len(msgs), bad)
		}
		for _, m := range msgs {
			if m.Device != "w1" || len(m.ECG) == 0 || len(m.ECG) > 64 {
				t.Fatalf("decoded %+v", m)
			}
		}
	})
}
