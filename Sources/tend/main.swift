import Foundation
import TendCLI

let code = await TendMain.run()
exit(code)
