# SPDX-License-Identifier: GPL-2.0
# bash completion for remote-proc(1).
#
# Commands and view subcommands are listed here; each command's options
# are read from its own --help, so they cannot drift from the program.
# PIDs complete from /proc; addresses from the target's /proc/PID/maps
# (area start addresses, the bracketed names and mapped files' basenames,
# where it is readable).

_remote_proc_pids()
{
	local p pids=()

	for p in /proc/[0-9]*; do
		pids+=("${p#/proc/}")
	done
	compgen -W "${pids[*]}" -- "$1"
}

# The long and short options a (sub)command's --help lists.
_remote_proc_options()
{
	"$1" "${@:2}" --help 2>/dev/null |
		sed -n 's/^ \{1,\}\(-[A-Za-z0-9], \)\{0,1\}\(--[a-z][a-z-]*\).*/\1\2/p' |
		tr -s ', ' '\n\n' | sort -u
}

# Options that take a value, as the --help text shows them (--opt=VALUE).
_remote_proc_valued()
{
	"$1" "${@:2}" --help 2>/dev/null |
		sed -n -e 's/^ \{1,\}\(-[A-Za-z0-9]\), \(--[a-z][a-z-]*\)=.*/\1 \2/p' \
			-e 's/^ \{1,\}\(--[a-z][a-z-]*\)=.*/\1/p'
}

_remote_proc_addrs()
{
	local pid=$1 cur=$2 range perms off dev inode path words=()

	[ -r "/proc/$pid/maps" ] || return 0
	while read -r range perms off dev inode path; do
		words+=("0x${range%%-*}")
		case "$path" in
		\[*\]) words+=("$path") ;;
		# A mapped file by its basename (NAME, or NAME+OFF typed on);
		# names compgen -W would split or expand are left out.
		/*) [[ $path == *[[:space:]*?\[\\]* ]] || words+=("${path##*/}") ;;
		esac
	done < "/proc/$pid/maps"
	compgen -W "${words[*]}" -- "$cur"
}

_remote_proc()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local prog=${COMP_WORDS[0]} i=1 cmd= sub= pos=0 w valued
	local cmds="maps dump peek poke watch find view help"
	local -a args=()

	COMPREPLY=()
	# Global options before the command; --proc-mem leaves the reading ones.
	while [ $i -lt "$COMP_CWORD" ]; do
		w=${COMP_WORDS[i]}
		case "$w" in
		-d | --device) i=$((i + 2)); continue ;;
		--proc-mem) cmds="maps dump peek watch find help" ;;
		esac
		case "$w" in
		-*) i=$((i + 1)); continue ;;
		esac
		break
	done
	if [ $i -ge "$COMP_CWORD" ]; then
		case "$prev" in
		-d | --device)
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
			return 0
			;;
		esac
		if [[ $cur == -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$(_remote_proc_options "$prog")" -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -W "$cmds" -- "$cur")
		fi
		return 0
	fi
	cmd=${COMP_WORDS[i]}
	i=$((i + 1))
	case "$cmd" in
	help)
		mapfile -t COMPREPLY < <(compgen -W "maps dump peek poke watch find view" -- "$cur")
		return 0
		;;
	view)
		if [ $i -ge "$COMP_CWORD" ]; then
			mapfile -t COMPREPLY < <(compgen -W "share info watch dump" -- "$cur")
			return 0
		fi
		sub=${COMP_WORDS[i]}
		i=$((i + 1))
		;;
	maps | dump | peek | poke | watch | find) ;;
	*) return 0 ;;
	esac

	valued=$(_remote_proc_valued "$prog" "$cmd" $sub)
	# The words between the command and the cursor: options, their values,
	# positional arguments; after "--" (view share) a command line.
	while [ $i -lt "$COMP_CWORD" ]; do
		w=${COMP_WORDS[i]}
		if [ "$w" = "--" ]; then
			if declare -F _command_offset >/dev/null; then
				_command_offset $((i + 1))
			else
				mapfile -t COMPREPLY < <(compgen -c -- "$cur")
			fi
			return 0
		fi
		case " $valued " in
		*" $w "*) i=$((i + 2)); continue ;;
		esac
		case "$w" in
		-?*) ;;
		*) args+=("$w") ;;
		esac
		i=$((i + 1))
	done

	case " $valued " in
	*" $prev "*)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return 0
		;;
	esac
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_remote_proc_options "$prog" "$cmd" $sub)" -- "$cur")
		return 0
	fi
	pos=${#args[@]}
	case "$cmd${sub:+ $sub}" in
	"view share")
		# PID ADDR LEN triples.
		case $((pos % 3)) in
		0) mapfile -t COMPREPLY < <(_remote_proc_pids "$cur") ;;
		1) mapfile -t COMPREPLY < <(_remote_proc_addrs "${args[pos - 1]}" "$cur") ;;
		esac
		;;
	view*) ;;
	*)
		case $pos in
		0) mapfile -t COMPREPLY < <(_remote_proc_pids "$cur") ;;
		1) [ "$cmd" = find ] || [ "$cmd" = maps ] ||
			mapfile -t COMPREPLY < <(_remote_proc_addrs "${args[0]}" "$cur") ;;
		esac
		;;
	esac
	return 0
}
complete -F _remote_proc remote-proc
