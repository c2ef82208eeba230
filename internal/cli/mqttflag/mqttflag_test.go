package mqttflag

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/classify/fleet"
)

func TestApply(t *testing.T) {
	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	os.WriteFile(pw, []byte("s3cret\r\n"), 0o600)
	notPEM := filepath.Join(dir, "ca.pem")
	os.WriteFile(notPEM, []byte("not a certificate"), 0o600)
	env := func(k string) string {
		if k == "ECG_MQTT_PASSWORD" {
			return "from-env"
		}
		return ""
	}
	var mo fleet.MQTTOptions
	if err := (&Flags{User: "u", PasswordFile: pw}).Apply(&mo, env); err != nil || mo.Username != "u" || mo.Password != "s3cret" || mo.TLS != nil {
		t.Errorf("password file: %+v, %v", mo, err)
	}
	mo = fleet.MQTTOptions{}
	if err := (&Flags{User: "u"}).Apply(&mo, env); err != nil || mo.Password != "from-env" {
		t.Errorf("environment: %+v, %v", mo, err)
	}
	mo = fleet.MQTTOptions{}
	if err := (&Flags{Insecure: true}).Apply(&mo, nil); err != nil || mo.TLS == nil || !mo.TLS.InsecureSkipVerify {
		t.Errorf("insecure: %+v, %v", mo, err)
	}
	for _, c := range []struct {
		f    Flags
		want string
	}{
		{Flags{PasswordFile: filepath.Join(dir, "none")}, "none"},
		{Flags{CA: notPEM}, "no PEM certificate"},
		{Flags{Cert: notPEM, Key: notPEM}, "--mqtt-cert"},
	} {
		if err := c.f.Apply(&fleet.MQTTOptions{}, nil); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want an error about %s", c.f, err, c.want)
		}
	}
}
