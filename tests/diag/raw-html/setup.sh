printf '\nMobility <b>raw html</b> is dropped.\n' >> content/cities/alpha.en.md
