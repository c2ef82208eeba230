package simulate

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ecgkit/ecg/classify/fleet"
	"github.com/ecgkit/ecg/datasets/synth"
	"github.com/ecgkit/ecg/internal/cli/cmdutil"
	"github.com/ecgkit/ecg/internal/cli/iostreams"
	"github.com/ecgkit/ecg/internal/cli/mqttflag"
)

func addFleetFlags(cmd *cobra.Command, o *Options) {
	fl := cmd.Flags()
	fl.StringVar(&o.MQTT, "mqtt", "", "publish a fleet to this MQTT broker (tcp://host:1883) instead of writing stdout")
	fl.IntVar(&o.Devices, "devices", 1, "devices in the fleet (--mqtt)")
	fl.StringVar(&o.Rhythms, "rhythms", "", "rhythms of the fleet's devices, such as afib=2,pvc=1 (the rest: --rhythm)")
	fl.Float64Var(&o.Speed, "speed", 1, "times real time the fleet sends at (0: as fast as the broker acknowledges)")
	fl.StringVar(&o.Topic, "topic", "dt/sensor", "a device publishes to TOPIC/DEVICE")
	fl.StringVar(&o.DevicePrefix, "device-prefix", "wear-", "device ids: PREFIX001, PREFIX002, ...")
	fl.StringVar(&o.Message, "message", "0.1s", "signal in one message")
	mqttflag.Add(cmd, &o.Conn)
}

// publishFleet publishes the fleet --devices and --rhythms describe to
// the broker --mqtt names; the fleet's plan (device, rhythm, seed) goes to
// stdout as TSV.
func publishFleet(ctx context.Context, f *cmdutil.Factory, o *Options, base synth.Options) error {
	if o.Out != "" || o.Realtime || o.Format != "text" {
		return cmdutil.Usagef("--mqtt publishes the fleet: drop --out, --realtime and --format")
	}
	msg, err := cmdutil.ParseSeconds(o.Message)
	if err != nil {
		return cmdutil.Usagef("--message %v", err)
	}
	counts, err := fleet.ParseRhythmCounts(o.Rhythms)
	if err != nil {
		return cmdutil.Usagef("--rhythms: %v", err)
	}
	devices, err := fleet.PlanFleet(o.Devices, counts, base, o.DevicePrefix)
	if err != nil {
		return optionsError(err)
	}
	errOut := &iostreams.SyncWriter{W: f.IO.ErrOut}
	logf := func(s string) {
		if f.Informational() {
			fmt.Fprintf(errOut, "ecg simulate: %s\n", s)
		}
	}
	opt := fleet.SimOptions{MQTT: fleet.MQTTOptions{Broker: o.MQTT, Log: logf}, Topic: o.Topic, Message: msg, Speed: o.Speed}
	if err := o.Conn.Apply(&opt.MQTT, f.IO.Environ); err != nil {
		return err
	}
	sim, err := fleet.NewSimulation(devices, opt)
	if err != nil {
		return optionsError(err)
	}
	if err := sim.Connect(); err != nil {
		return err
	}
	fmt.Fprintln(f.IO.Out, "device\trhythm\tseed")
	for _, d := range devices {
		fmt.Fprintf(f.IO.Out, "%s\t%s\t%d\n", d.ID, d.Synth.Rhythm, d.Synth.Seed)
	}
	logf(fmt.Sprintf("%d devices (%s) at %g Hz to %s/%s..%s, speed %g", len(devices), mix(devices), base.Fs,
		strings.TrimSuffix(o.Topic, "/"), devices[0].ID, devices[len(devices)-1].ID, o.Speed))
	began := time.Now()
	res, err := sim.Run(ctx)
	logf(fmt.Sprintf("%d messages acknowledged, %d failed; %.1f s of signal a device in %.1f s%s", res.Messages, res.Failed,
		float64(res.Samples)/base.Fs, time.Since(began).Seconds(), behind(res.Behind)))
	if err != nil {
		return err
	}
	if res.Failed > 0 {
		return &cmdutil.PartialError{Msg: fmt.Sprintf("%d of %d messages not acknowledged by %s", res.Failed, res.Failed+res.Messages, o.MQTT)}
	}
	return nil
}

// mix describes the fleet's rhythms: "2 afib, 18 normal".
func mix(devices []fleet.SimDevice) string {
	var names []string
	n := map[string]int{}
	for _, d := range devices {
		if n[d.Synth.Rhythm] == 0 {
			names = append(names, d.Synth.Rhythm)
		}
		n[d.Synth.Rhythm]++
	}
	parts := make([]string, len(names))
	for i, r := range names {
		parts[i] = fmt.Sprintf("%d %s", n[r], r)
	}
	return strings.Join(parts, ", ")
}

func behind(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("; %d rounds late (the broker or this machine too slow for --speed)", n)
}
