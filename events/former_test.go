package events

import "testing"

func TestFormerStates(t *testing.T) {
	tests := []struct {
		name, in, want string
		former         bool
	}{
		{"withdrawn alpha-2 code", "YU", "YU", true},
		{"East Germany is not Germany", "DD", "DD", true},
		{"ISO 3166-3 code", "CSHH", "CS", true},
		{"withdrawn alpha-3 code", "YMD", "YD", true},
		{"name of a former state", "Yemen Arab Republic", "XY", true},
		{"a user-assigned code", "XZ", "XZ", true},
		{"Germany stays Germany", "Federal Republic of Germany", "DE", false},
		{"a current state", "DE", "DE", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseCountry(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if c.String() != tt.want {
				t.Fatalf("ParseCountry(%q) = %s, want %s", tt.in, c, tt.want)
			}
			f, ok := c.Former()
			if ok != tt.former {
				t.Fatalf("%s.Former() = %v, want %v", c, ok, tt.former)
			}
			if ok && (f.From == 0 || f.To < f.From || len(f.Successors) == 0 || c.Name() == "") {
				t.Fatalf("%s: incomplete %+v", c, f)
			}
		})
	}
	for _, bad := range []string{"XX", "QQ", "ZZ", "XA"} {
		if c, err := ParseCountry(bad); err == nil {
			t.Errorf("ParseCountry(%q) = %s: a code no one assigned must be refused", bad, c)
		}
	}
	for _, c := range AllCountries() {
		if _, ok := c.Former(); ok {
			t.Errorf("AllCountries lists the former state %s", c)
		}
	}
}
