package config

import (
	"os"
	"strings"
	"testing"
)

func TestUnknownKeys(t *testing.T) {
	doc := `public_url = "https://1on1.example.com"
[mail]
from = "a@example.com"

[[calendar]]
name = "ada"
type = "caldav"
url = "https://dav.example.com/ada/"

[[calendar]]
name = "bob"
type = "caldav"
url = "https://dav.example.com/bob/"
usrname = "bob"

[calendar.detect]
include_title = ["1:1"]

[[prep.question_set]]
name = "s"
[[prep.question_set.question]]
id = "q"
text = "Q?"
[[prep.question_set.question]]
id = "r"
text = "R?"
visibilty = "pair"

[mial]
from = "x@example.com"
`
	want := []string{
		`calendar[1].usrname (line 14): unknown key — did you mean "username"?`,
		`calendar[1].detect.include_title (line 17): unknown key — did you mean "include_titles"?`,
		`prep.question_set[0].question[1].visibilty (line 27): unknown key — did you mean "visibility"?`,
		`mial (line 29): unknown key — did you mean "mail"?`,
	}
	got := keysAndMessages(problemsOf(t, doc, ""))
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func keysAndMessages(list []Error) []string {
	var out []string
	for _, e := range list {
		out = append(out, e.Error())
	}
	return out
}

func TestUnknownKeyWithoutSuggestion(t *testing.T) {
	list := problemsOf(t, minimal+"[sync]\nfrobnicate = true\n", "")
	if len(list) != 1 || list[0].Key != "sync.frobnicate" || !strings.Contains(list[0].Msg, "the keys of [sync] are interval, timeout") {
		t.Errorf("got %v", list)
	}
	list = problemsOf(t, "zzz = 1\n"+minimal, "")
	if len(list) != 1 || list[0].Key != "zzz" || !strings.Contains(list[0].Msg, "the keys of the top level are state_dir, listen") {
		t.Errorf("got %v", list)
	}
}

func TestTypeErrors(t *testing.T) {
	for _, tc := range []struct{ doc, key, msg string }{
		{"listen = 8080\n" + minimal, "listen", "expected a string, found the integer 8080"},
		{publicURL + mailOK + "smtp_port = \"587\"\n" + calOK, "mail.smtp_port", `expected an integer, found the string "587"`},
		{publicURL + mailOK + "smtp_port = 5e2\n" + calOK, "mail.smtp_port", "expected an integer, found the float 500"},
		{minimal + "enabled = \"yes\"\n", "calendar[0].enabled", `expected true or false, found the string "yes"`},
		{minimal + "[sync]\ninterval = 300\n", "sync.interval", `expected a duration string such as "24h", found the integer 300`},
		{minimal + "[detect]\ninclude_titles = \"1:1\"\n", "detect.include_titles", "expected an array"},
		{minimal + "[detect]\ninclude_titles = [\"a\", 1]\n", "detect.include_titles[1]", "expected a string, found the integer 1"},
		{publicURL + mailOK + "[calendar]\nname = \"x\"\n", "calendar", "expected an array of tables ([[calendar]]), found a table"},
		{publicURL + "mail = \"a@example.com\"\n" + calOK, "mail", "expected a table, found the string"},
		{minimal + "[prep]\ngrace = 1979-05-27\n", "prep.grace", "found a date-time"},
		{minimal + "[[prep.question_set]]\nname = \"s\"\n[[prep.question_set.question]]\nid = \"q\"\ntext = \"Q?\"\nevery = 99999999999\n",
			"prep.question_set[0].question[0].every", "out of range"},
	} {
		list := problemsOf(t, tc.doc, "")
		if len(list) != 1 || list[0].Key != tc.key || !strings.Contains(list[0].Msg, tc.msg) {
			t.Errorf("got %v\nwant one problem for %s containing %q", list, tc.key, tc.msg)
		}
	}
}

func TestSyntaxError(t *testing.T) {
	list := problemsOf(t, "public_url = \"https://x.example\"\nlisten = = 1\n", "")
	if len(list) != 1 || list[0].Line != 2 || !strings.HasPrefix(list[0].Error(), "line 2: not valid TOML: ") {
		t.Errorf("got %v", list)
	}
}

func TestKeyLines(t *testing.T) {
	doc := `# comment = 1
a = """
[[calendar]]
b = 2
"""
"quoted.key" = 'x' # c = 3
dotted.key = [
  "]", '[',
  { x = 1 },
]
[[calendar]]
name = "first"
[calendar.detect]
opt_in_marker = "#x"
[[calendar]]
name = '''
multi ''' ''
[ "prep" . "pair" ]
x.y.z = 1
`
	want := map[string]int{
		"a": 2, "quoted.key": 6, "dotted": 7, "dotted.key": 7,
		"calendar[0]": 11, "calendar[0].name": 12, "calendar[0].detect": 13, "calendar[0].detect.opt_in_marker": 14,
		"calendar[1]": 15, "calendar[1].name": 16, "prep.pair": 18, "prep.pair.x.y.z": 19,
	}
	got := keyLines([]byte(doc))
	for k, line := range want {
		if got[k] != line {
			t.Errorf("line of %s = %d, want %d", k, got[k], line)
		}
	}
	for _, k := range []string{"b", "c", "calendar[2]"} {
		if _, ok := got[k]; ok {
			t.Errorf("%s found, but it is inside a string or comment", k)
		}
	}
}

func TestSuggest(t *testing.T) {
	known := []string{"username", "url", "name", "password_file"}
	for name, want := range map[string]string{
		"usrname": "username", "passwordfile": "password_file", "nmae": "name", "xyz": "", "a": "", "colour": "",
	} {
		if got := suggest(name, known); got != want {
			t.Errorf("suggest(%q) = %q, want %q", name, got, want)
		}
	}
}

// Parse never panics, whatever the input: it returns a config or an error.
func FuzzParse(f *testing.F) {
	contract, err := os.ReadFile("testdata/contract.toml")
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		string(contract),
		minimal,
		minimal + "[detect]\ninclude_titles = [\"(\"]\n[[calendar]]\ndetect = { x = [1, {y = 2}] }\n",
		"calendar = [{name = \"a\"}, 1]\n[[prep.question_set]]\n[[prep.question_set.question]]\nevery = -1\n",
		"a = \"\"\"\n[[x]]\n\"\"\"\n'q.k' = '''\n'''''\n[\"a\".b]\n",
		"mail = 1\nprep = []\n[[sync]]\n",
		"\ufeffpublic_url = \"http://[::1\"\n",
	} {
		f.Add([]byte(seed))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, dir, noEnv)
		if (c == nil) == (err == nil) {
			t.Fatalf("Parse returned config %v and error %v", c != nil, err)
		}
		keyLines(data) // also on input the toml parser rejects
	})
}
