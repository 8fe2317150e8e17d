# a layout with a Latin-1 byte: one error, at its place, with a hint that
# fits a layout (no 'missing layout' after it, no front matter to declare)
printf '<p>caf\351</p>\n' >>layouts/profile.mustache
