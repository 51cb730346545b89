"""Development and operations glue: the trained-model cache and the launcher of Ovi's three processes."""
