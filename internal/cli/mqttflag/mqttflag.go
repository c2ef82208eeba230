// Package mqttflag holds the MQTT connection flags that `ecg serve` and
// `ecg simulate --mqtt` share: the user, the password's file and TLS.
package mqttflag

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ecgkit/ecg/classify/fleet"
)

// Flags are the MQTT credentials and TLS files.
type Flags struct {
	User         string
	PasswordFile string
	CA           string
	Cert, Key    string
	Insecure     bool
}

// Add declares the flags on cmd: --mqtt-user, --mqtt-password-file,
// --mqtt-ca, --mqtt-cert, --mqtt-key, --mqtt-insecure.
func Add(cmd *cobra.Command, f *Flags) {
	fl := cmd.Flags()
	fl.StringVar(&f.User, "mqtt-user", "", "MQTT user name")
	fl.StringVar(&f.PasswordFile, "mqtt-password-file", "", "file holding the MQTT password (default: $ECG_MQTT_PASSWORD)")
	fl.StringVar(&f.CA, "mqtt-ca", "", "PEM file of the CA that signed the broker's certificate")
	fl.StringVar(&f.Cert, "mqtt-cert", "", "PEM client certificate (with --mqtt-key)")
	fl.StringVar(&f.Key, "mqtt-key", "", "PEM client key")
	fl.BoolVar(&f.Insecure, "mqtt-insecure", false, "do not verify the broker's certificate")
}

// Apply sets mo's user, password and TLS from the flags: the password is
// the first line of --mqtt-password-file, else env("ECG_MQTT_PASSWORD")
// (env may be nil); TLS is set when a CA, a client certificate or
// --mqtt-insecure is given.
func (f *Flags) Apply(mo *fleet.MQTTOptions, env func(string) string) error {
	mo.Username = f.User
	if f.PasswordFile != "" {
		b, err := os.ReadFile(f.PasswordFile)
		if err != nil {
			return err
		}
		mo.Password = strings.TrimRight(string(b), "\r\n")
	} else if env != nil {
		mo.Password = env("ECG_MQTT_PASSWORD")
	}
	if f.CA == "" && f.Cert == "" && !f.Insecure {
		return nil
	}
	tc := &tls.Config{InsecureSkipVerify: f.Insecure, MinVersion: tls.VersionTLS12}
	if f.CA != "" {
		pem, err := os.ReadFile(f.CA)
		if err != nil {
			return err
		}
		tc.RootCAs = x509.NewCertPool()
		if !tc.RootCAs.AppendCertsFromPEM(pem) {
			return fmt.Errorf("--mqtt-ca %s: no PEM certificate", f.CA)
		}
	}
	if f.Cert != "" {
		c, err := tls.LoadX509KeyPair(f.Cert, f.Key)
		if err != nil {
			return fmt.Errorf("--mqtt-cert %s, --mqtt-key %s: %w", f.Cert, f.Key, err)
		}
		tc.Certificates = []tls.Certificate{c}
	}
	mo.TLS = tc
	return nil
}
