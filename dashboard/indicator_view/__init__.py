"""The parts of the indicator page (dashboard/pages/indicator.py): what it reads, shows and exports."""
