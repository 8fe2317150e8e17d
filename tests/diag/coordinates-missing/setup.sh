# a profile without coordinates: the maps could not place it
sed -i '/^coordinates: /d' content/cities/alpha.en.md
