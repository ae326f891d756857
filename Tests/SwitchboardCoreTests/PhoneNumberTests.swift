@testable import SwitchboardCore
