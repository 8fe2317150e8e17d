sed -i 's|{{#nav}}|{{#nav}}{{#current}}|' layouts/base.mustache
