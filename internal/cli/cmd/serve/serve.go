// Package serve is the `ecg serve` command: a fleet of wearables scored
// live (package classify/fleet), from an MQTT broker and HTTP, events out
// as JSON lines and to the broker, Prometheus metrics.
package serve

import (
	"context"
	"embed"
	"time"

	"github.com/spf13/cobra"

	"github.com/ecgkit/ecg/classify/fleet"
	"github.com/ecgkit/ecg/internal/cli/cmdutil"
	"github.com/ecgkit/ecg/internal/cli/mqttflag"
)

//go:embed help.txt
var help embed.FS

// Options are the flags of `ecg serve`.
type Options struct {
	Score     cmdutil.ScoreFlags
	TimeUnits string

	MQTT      string
	Topic     string
	ClientID  string
	Conn      mqttflag.Flags // --mqtt-user, --mqtt-ca...
	NoPublish bool
	Prefix    string
	Shard     string

	Listen    string
	TokenFile string
	Events    string
	Record    string
	Segment   time.Duration

	Idle       time.Duration
	MaxDevices int
	MaxDevMiB  float64
	MaxMessage int
	Queue      int
	RateFactor float64

	// Ready, when not nil, is called with the HTTP address once serving
	// (for tests).
	Ready func(addr string)
}

// NewCmd returns the `ecg serve` command.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	o := &Options{}
	long, examples := cmdutil.HelpParts(help, "help.txt")
	cmd := &cobra.Command{
		Use:     "serve",
		Short:   "Score a fleet of wearables live from MQTT and HTTP; events, alerts, metrics",
		Long:    long,
		Example: examples,
		Args:    cmdutil.Args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return Run(cmd.Context(), f, o)
		},
	}
	cmdutil.AddScoreFlags(cmd, &o.Score)
	cmdutil.AddUnitsFlags(cmd, &o.Score)
	fl := cmd.Flags()
	fl.Lookup("units").Usage = "units of the ecg values: mV, uV, V or adu (default mV)"
	fl.Lookup("fs").Usage = "sampling rate in Hz of devices whose messages have no fs field (default: from their timestamps)"
	fl.StringVar(&o.TimeUnits, "time-units", "", "units of numeric timestamps: s, ms or us (default: inferred from their spacing)")
	cmdutil.CompleteValues(cmd, "time-units", "s", "ms", "us")
	fl.StringVar(&o.MQTT, "mqtt", "", "MQTT broker URL: tcp://host:1883, ssl://host:8883, ws://, wss:// (none: HTTP input only)")
	fl.StringVar(&o.Topic, "topic", "dt/sensor/#", "MQTT topic filter to subscribe to (QoS 1); the last level names the device")
	fl.StringVar(&o.ClientID, "client-id", "", "MQTT client id (default: ecg-serve- and a time)")
	mqttflag.Add(cmd, &o.Conn)
	fl.BoolVar(&o.NoPublish, "no-publish", false, "do not publish events and alerts to the broker")
	fl.StringVar(&o.Prefix, "publish-prefix", "ecg", "topics of published events: PREFIX/events/DEVICE and PREFIX/alerts/DEVICE")
	fl.StringVar(&o.Shard, "shard", "", "K/N: take only the devices of shard K (0 to N-1) of N, by a stable hash of their id")
	fl.StringVar(&o.Listen, "listen", "127.0.0.1:8080", `HTTP address for /metrics and POST /ingest/DEVICE ("": no HTTP)`)
	fl.StringVar(&o.TokenFile, "token-file", "", "file holding the bearer token HTTP requests must carry (required beyond loopback)")
	fl.StringVar(&o.Events, "events", "-", "file the events are appended to as JSON lines (-: stdout)")
	fl.StringVar(&o.Record, "record", "", "record every device's signal into DIR as WFDB records (DIR/DEVICE/), window labels and alerts as annotations")
	fl.DurationVar(&o.Segment, "segment", fleet.DefaultSegment, "length of a recorded segment (--record)")
	fl.DurationVar(&o.Idle, "idle", fleet.DefaultIdle, "a device sending nothing this long is closed")
	fl.IntVar(&o.MaxDevices, "max-devices", fleet.DefaultMaxDevices, "most devices scored at once")
	fl.Float64Var(&o.MaxDevMiB, "max-device-memory", float64(fleet.DefaultMaxDeviceBytes>>20), "most memory one device's scoring may hold, MiB")
	fl.IntVar(&o.MaxMessage, "max-message", fleet.DefaultMaxBytes, "largest message in bytes (HTTP bodies: 16 times this)")
	fl.IntVar(&o.Queue, "queue", 32, "messages a device may have waiting")
	fl.Float64Var(&o.RateFactor, "rate-factor", 4, "a device may send this many times its sampling rate, in bursts of 30 s times this/4 (replays, backfills: more)")
	cmd.PreRun = func(cmd *cobra.Command, args []string) {
		o.Score.FsGiven = cmd.Flags().Changed("fs")
	}
	return cmd
}

// Run serves until ctx ends.
func Run(ctx context.Context, f *cmdutil.Factory, o *Options) error {
	// A warning is not an informational message: --quiet keeps it.
	cfg, err := o.config(f.IO.ErrOut)
	if err != nil {
		return err
	}
	return serve(ctx, f, o, cfg)
}
