package cmdutil

import (
	"os"
	"os/signal"
	"syscall"
)

// AbortOnSecondSignal calls abort when a second interrupt (or SIGTERM)
// arrives while the first one is being handled: a command's slow shutdown
// (ecg stream's alert commands) is cut short instead of the process dying
// with its children alive. It returns the function that stops watching.
func AbortOnSecondSignal(abort func()) (stop func()) {
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		for k := 0; k < 2; k++ {
			select {
			case <-sig:
			case <-done:
				return
			}
		}
		abort()
	}()
	return func() { signal.Stop(sig); close(done) }
}
