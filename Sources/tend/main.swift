import Foundation
import TendCLI

// A parent may have started tend with SIGINT/SIGTERM blocked (test runners, some supervisors); unblock them so
// Ctrl-C and service managers reach tend's handlers, which finish the work in flight before exiting.
var signals = sigset_t()
sigemptyset(&signals)
sigaddset(&signals, SIGINT)
sigaddset(&signals, SIGTERM)
pthread_sigmask(SIG_UNBLOCK, &signals, nil)

let code = await TendMain.run()
exit(code)
