package probe

// MethodOrDefault is the method the probe sends (GET when none is set).
func (t Target) MethodOrDefault() string { return t.method() }

// PathOrDefault is the path the probe requests ("/" when none is set).
func (t Target) PathOrDefault() string { return t.path() }
