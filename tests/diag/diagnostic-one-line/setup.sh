# a Mustache tag whose name runs over a line: the message that echoes it
# stays one line (the newline written \n), so editors can read it
printf '{{t.no\nsuch}}\n' >>layouts/section.mustache
