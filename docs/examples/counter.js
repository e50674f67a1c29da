// Counts clicks and tells the page; try it with --state '{"count":41}'.
$state.count = ($state.count ?? 0) + 1;
$emit('counted', { count: $state.count });
$log.info('count is now', $state.count);
return { count: $state.count };
