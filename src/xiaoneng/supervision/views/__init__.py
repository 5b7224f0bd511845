"""Office pages of the supervision app: orders, the closure report, callbacks, inspections."""
