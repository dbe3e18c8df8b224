"""The app catalogue: presets for the apps small organisations run, the settings each needs
typed into it, and creating an app with its client and claims from one."""
