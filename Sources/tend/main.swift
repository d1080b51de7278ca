import Foundation
import TendCLI

// A parent may have started tend with SIGINT/SIGTERM/SIGHUP blocked (test runners, some supervisors); unblock them
// so Ctrl-C, a closed terminal and service managers reach tend's handlers, which finish the work in flight and
// release the state lock before exiting.
var signals = sigset_t()
sigemptyset(&signals)
sigaddset(&signals, SIGINT)
sigaddset(&signals, SIGTERM)
sigaddset(&signals, SIGHUP)
pthread_sigmask(SIG_UNBLOCK, &signals, nil)
// A reader of tend's output that goes away must not kill tend while it holds the lock: writes see EPIPE instead.
signal(SIGPIPE, SIG_IGN)

let code = await TendMain.run()
exit(code)
