"""The show's rules: loop, visitor control, gestures, hits, staff exit, the manual clock (pure)."""
